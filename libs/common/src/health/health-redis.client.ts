import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { reportRedisOutages } from '../logging/outage-log';
import { redisOptionsFromUrl } from '../queue/redis-connection';

/**
 * A Redis client of the health checks' own: fails fast (no offline queue) instead of queueing
 * commands while Redis is away, so readiness answers within its timeout.
 */
@Injectable()
export class HealthRedisClient implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(
      redisOptionsFromUrl(config.redisUrl, {
        connectionName: `${config.service}-health`,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        lazyConnect: false,
      }) as RedisOptions,
    );
    // Reported through readiness and, once, as the process's Redis outage; this client, always
    // connected and reconnecting, is also what says the outage is over.
    reportRedisOutages(this.redis);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
