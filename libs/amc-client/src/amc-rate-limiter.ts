import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/** Waits until one more AMC call may go, keeping a connection to its polite rate. */
export interface AmcRateLimiter {
  acquire(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Evenly spaced calls, in this process only. */
export class SpacingRateLimiter implements AmcRateLimiter {
  private nextAt = 0;

  constructor(private readonly requestsPerSecond: number) {}

  async acquire(): Promise<void> {
    if (this.requestsPerSecond <= 0) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextAt);
    this.nextAt = slot + 1000 / this.requestsPerSecond;
    if (slot > now) await sleep(slot - now);
  }
}

// One limiter per connection per process, whichever client instance makes the call.
const shared = new Map<string, SpacingRateLimiter>();

/** The process-wide limiter of one AMC connection (keyed by host and a hash of the token). */
export function processRateLimiter(baseUrl: string, token: string, requestsPerSecond: number): AmcRateLimiter {
  const key = `${connectionKey(baseUrl, token)}:${requestsPerSecond}`;
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new SpacingRateLimiter(requestsPerSecond);
    shared.set(key, limiter);
  }
  return limiter;
}

/** Identifies a connection without carrying its token. */
export function connectionKey(baseUrl: string, token: string): string {
  return createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex').slice(0, 16);
}

/**
 * The rate shared by every process: a counter per one-second window in Redis (INCR + PEXPIRE,
 * one round trip). When the window is full the caller waits for the next one.
 */
export class RedisRateLimiter implements AmcRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly requestsPerSecond: number,
  ) {}

  async acquire(): Promise<void> {
    if (this.requestsPerSecond <= 0) return;
    for (;;) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      const windowKey = `${this.key}:${second}`;
      const [[, count]] = (await this.redis.multi().incr(windowKey).pexpire(windowKey, 2_000).exec()) as [[Error | null, number], unknown];
      if (count <= this.requestsPerSecond) return;
      // A few ms of jitter so waiters from many processes do not all land on the boundary at once.
      await sleep((second + 1) * 1000 - now + Math.floor(Math.random() * 20));
    }
  }
}
