import { Logger } from '@nestjs/common';
import { ClientRedis, ServerRedis, type RedisOptions } from '@nestjs/microservices';
import type { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from '../queue/redis-connection';
import type { OutageLog } from './outage-log';

type TransportOptions = NonNullable<RedisOptions['options']>;

/** ioredis' own client, as the transport hands it out (its typings say `any`). */
interface RedisLike {
  connect(): Promise<void>;
  ping(): Promise<string>;
  disconnect(): void;
  once(event: 'ready', listener: () => void): void;
}

/** The transport's reconnects: every second, for as long as Redis is away (the transport gives up after `retryAttempts`). */
const RETRY_DELAY_MS = 1_000;

/** How long a publish may wait for Redis: an emit never piles up behind a Redis that hangs. */
const COMMAND_TIMEOUT_MS = 2_000;

/** The transport's Redis connection: REDIS_URL from the config, reconnecting every second for ever. */
export function meshTransportOptions(config: AppConfig, role: 'emit' | 'listen'): TransportOptions {
  const { retryStrategy: _ours, ...redis } = redisOptionsFromUrl(config.redisUrl, { connectionName: `${config.service}-mesh-${role}` });
  return {
    ...redis,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryDelay: RETRY_DELAY_MS,
    ...(role === 'emit' ? { commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1 } : {}),
  } as TransportOptions;
}

/**
 * The transport's own logging, routed to an OutageLog: its every failed reconnect would otherwise
 * log an error each second of an outage; its chatter (connected, reconnecting) is debug detail.
 */
class TransportLogger extends Logger {
  constructor(private readonly outage: OutageLog) {
    super('MeshEvents');
  }

  override error(message: unknown): void {
    this.outage.failed(message);
  }

  override log(message: unknown): void {
    super.debug(message);
  }
}

/** The Redis transport's client, emitting only (fire-and-forget events, never requests), closed without waiting on Redis. */
export class MeshRedisClient extends ClientRedis {
  constructor(options: TransportOptions, outage: OutageLog) {
    super(options);
    (this as unknown as { logger: Logger }).logger = new TransportLogger(outage);
  }

  /** Disconnects at once: QUIT would wait for a Redis that may be away, and keep the process alive. */
  override async close(): Promise<void> {
    this.isManuallyClosed = true;
    this.handleClose();
    for (const client of [this.pubClient, this.subClient] as Array<RedisLike | null>) client?.disconnect();
    this.pubClient = this.subClient = null;
  }
}

/**
 * The Redis transport's server, used as an event listener. Two departures from ServerRedis: it
 * binds its channels when Redis first answers even if Redis was away at boot (ServerRedis binds
 * only after a first connect that succeeded), and `listen`'s callback comes once the channels are
 * subscribed (a PING answered after the SUBSCRIBEs), so an event sent after that is heard.
 */
export class MeshRedisServer extends ServerRedis {
  constructor(options: TransportOptions, outage: OutageLog) {
    super(options);
    (this as unknown as { logger: Logger }).logger = new TransportLogger(outage);
  }

  override start(callback?: (err?: unknown) => void): void {
    const sub = this.subClient as RedisLike;
    let bound: Promise<void> | null = null;
    const bind = () => {
      bound ??= (async () => {
        this.bindEvents(this.subClient, this.pubClient);
        await sub.ping();
      })();
      return bound;
    };
    // Replies (pubClient) serve request-response only; events need the subscriber alone.
    sub.connect().then(
      () => bind().then(() => callback?.(), callback),
      (err: unknown) => {
        sub.once('ready', () => void bind().catch(() => undefined));
        callback?.(err);
      },
    );
  }

  override async close(): Promise<void> {
    this.isManuallyClosed = true;
    for (const client of [this.pubClient, this.subClient] as Array<RedisLike | undefined>) client?.disconnect();
  }
}
