import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { AmcClient, connectionKey, processRateLimiter, RedisRateLimiter, type AmcRateLimiter } from '@app/amc-client';
import { APP_CONFIG, MetricsService, redisOptionsFromUrl, reportRedisOutages, type AppConfig } from '@app/common';
import { withDefaultSettings, type ConnectionSettings } from '@app/contracts';
import { RedisCreditBudget, type BudgetPriority } from '@app/joor-budget';
import { JoorClient } from '@app/joor-client';
import { ConnectionRepository, SECRET_CIPHER, type ConnectionEntity, type SecretCipher } from '@app/persistence';
import { ApiCallLog } from './api-call-log';
import { CreditMeter } from './credit-meter';
import { ConnectionNotFoundError } from './run-errors';

/** Everything a sync job needs to talk to one brand's two accounts. */
export interface ConnectionContext {
  connection: ConnectionEntity;
  settings: ConnectionSettings;
  amc: AmcClient;
  /** Every call's credits are taken from the shared budget through `meter`. */
  joor: JoorClient;
  /** The JOOR credits this context's calls have taken. */
  meter: CreditMeter;
}

/**
 * Builds the AMC and JOOR clients of a connection from its stored (decrypted) credentials.
 * One Redis client per process carries the shared JOOR credit budget and the shared JOOR token
 * cache; it is closed on shutdown. The URLs are whatever the connection says, sandbox or real.
 */
@Injectable()
export class ConnectionClients implements OnApplicationShutdown {
  readonly redis: Redis;
  readonly budget: RedisCreditBudget;

  constructor(
    private readonly connections: ConnectionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    // Absent where no metrics are kept (some tests): the calls are then only logged.
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.redis = new Redis(redisOptionsFromUrl(config.redisUrl, { connectionName: `${config.service}-joor` }) as RedisOptions);
    // Surfaced to the calls that need Redis and to readiness; logged once as the process's Redis outage.
    reportRedisOutages(this.redis);
    this.budget = new RedisCreditBudget(this.redis, { ...config.joorBudget, keyPrefix: `${config.queuePrefix}:joor-budget` });
  }

  /**
   * `quick`: one attempt and short timeouts, for an interactive check rather than a sync. `signal`:
   * the run's stop signal, which ends the JOOR client's waits (credits, back-off) when it aborts.
   */
  async forConnection(connectionId: string, priority: BudgetPriority, options: { quick?: boolean; signal?: AbortSignal } = {}): Promise<ConnectionContext> {
    const found = await this.connections.findWithSecrets(connectionId);
    if (!found) throw new ConnectionNotFoundError(connectionId);
    const { connection, secrets } = found;
    const quick = options.quick ? { timeoutMs: 10_000, maxAttempts: 1 } : {};
    const amc = new AmcClient({
      baseUrl: connection.amcBaseUrl,
      token: secrets.amcToken,
      limiter: this.amcLimiter(connection.amcBaseUrl, secrets.amcToken),
      onCall: ApiCallLog.amc(connection.amcBaseUrl, this.metrics?.sync),
      ...quick,
    });
    const meter = new CreditMeter(this.budget);
    const joor = new JoorClient({
      accountId: connection.joorAccountId,
      urls: { auth: connection.joorAuthUrl, v4: connection.joorV4BaseUrl, v2: connection.joorV2BaseUrl },
      credentials: {
        clientId: connection.joorClientId,
        clientSecret: secrets.joorClientSecret,
        username: connection.joorUsername,
        password: secrets.joorPassword,
        v2Token: secrets.joorV2Token,
      },
      redis: this.redis,
      tokenCipher: this.cipher,
      budget: meter,
      priority,
      keyPrefix: `${this.config.queuePrefix}:joor-token:`,
      signal: options.signal,
      onEvent: ApiCallLog.joor(connection.joorV4BaseUrl, connection.joorAccountId, this.metrics?.sync),
      ...(options.quick ? { timeoutMs: 10_000, retry: { maxAttempts: 1 } } : {}),
    });
    return { connection, settings: withDefaultSettings(connection.settings), amc, joor, meter };
  }

  /**
   * The polite AMC rate of a connection, shared by every process and replica (a counter per second
   * in Redis), with this process's own calls spaced evenly inside it so they do not arrive in bursts.
   */
  private amcLimiter(baseUrl: string, token: string): AmcRateLimiter {
    const rate = this.config.amcRequestsPerSecond;
    const spacing = processRateLimiter(baseUrl, token, rate);
    const shared = new RedisRateLimiter(this.redis, `${this.config.queuePrefix}:amc-rate:${connectionKey(baseUrl, token)}`, rate);
    return {
      async acquire() {
        await spacing.acquire();
        await shared.acquire();
      },
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
