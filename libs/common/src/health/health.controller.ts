import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { Public } from '../util/public.decorator';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATORS) private readonly indicators: ReadinessIndicator[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Liveness: the process answers; touches no dependency. */
  @Get('live')
  live() {
    return { status: 'ok', service: this.config.service, uptimeSeconds: Math.round(process.uptime()) };
  }

  /** Readiness: every dependency answers within the timeout; 503 naming the ones that do not. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.indicators.map((indicator) => () => indicator.check(this.config.healthTimeoutMs)));
  }
}
