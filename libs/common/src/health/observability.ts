import type { ModuleMetadata, Provider, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsModule } from '../metrics/metrics.module';
import { QueueOutageWatch } from '../queue/queue-outage-watch';
import { HealthController } from './health.controller';
import { HealthRedisClient } from './health-redis.client';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';
import { RedisHealthIndicator } from './redis.health';

export interface ObservabilityOptions {
  /** Queues whose job counts `/metrics` reports. */
  queues: readonly string[];
  /** Readiness checks beyond Redis: the database's (PostgresHealthIndicator of @app/persistence, or a sandbox's own), the worker. */
  extraIndicators?: Type<ReadinessIndicator>[];
  /** Whether the service uses Redis (the sandboxes do not). Default true. */
  redis?: boolean;
}

/**
 * `/health/live`, `/health/ready` and `/metrics` for any service, as module metadata the
 * service's root module spreads into its own (so the checks can see the service's providers).
 */
export function observability(options: ObservabilityOptions): Required<Pick<ModuleMetadata, 'imports' | 'controllers'>> & { providers: Provider[] } {
  const usesRedis = options.redis ?? true;
  const indicators: Type<ReadinessIndicator>[] = [...(usesRedis ? [RedisHealthIndicator] : []), ...(options.extraIndicators ?? [])];
  return {
    imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), MetricsModule.register(options.queues)],
    controllers: [HealthController, MetricsController],
    providers: [...(usesRedis ? [HealthRedisClient, QueueOutageWatch] : []), ...indicators, { provide: READINESS_INDICATORS, useFactory: (...all: ReadinessIndicator[]) => all, inject: indicators }],
  };
}
