import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '@app/util';
import { HealthRedisClient } from './health-redis.client';
import type { ReadinessIndicator } from './readiness-indicator';

@Injectable()
export class RedisHealthIndicator implements ReadinessIndicator {
  readonly key = 'redis';

  constructor(
    private readonly client: HealthRedisClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number) {
    const session = this.indicators.check(this.key);
    try {
      await withTimeout(this.client.redis.ping(), timeoutMs, 'redis');
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message || 'unreachable' });
    }
  }
}
