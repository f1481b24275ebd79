import type { Logger as Pino } from 'pino';
import { withoutLogContext } from './log-context';

/** What can be down: the stores, and AMC or JOOR at one address. */
export type OutageTarget = 'Redis' | 'PostgreSQL' | `AMC ${string}` | `JOOR ${string}`;

/**
 * Says once, at `error`, that something is down (what, and the first error's message; no stack) and
 * once, at `info`, that it is back with how long it was down, however many calls fail in between:
 * a Redis or PostgreSQL restart makes every worker, client and retry fail many times a second.
 * One per process (`outages`), shared by everything that talks to a store or an API.
 */
export class Outages {
  private readonly down = new Map<OutageTarget, { since: number; failures: number; lastFailureAt: number; backAt: number | null; settling: NodeJS.Timeout | null }>();
  private logger: Pick<Pino, 'error' | 'info'> | null = null;

  /**
   * `settleMs`: how long a target must go without a failure, once something said it works, before
   * its outage is over. A process has many connections to one store and they come back one by one:
   * their late failures are the same outage, not a new one.
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly settleMs = 2_000,
  ) {}

  /** Where the lines go (the process's logger, set at start-up); until then nothing is written. */
  useLogger(logger: Pick<Pino, 'error' | 'info'>): void {
    this.logger = logger;
  }

  isDown(target: OutageTarget): boolean {
    return this.down.has(target);
  }

  /** A call to `target` failed the way an outage fails (refused, reset, timed out, unreachable). */
  failed(target: OutageTarget, err: unknown): void {
    const now = this.now();
    const current = this.down.get(target);
    if (current) {
      current.failures++;
      current.lastFailureAt = now;
      return;
    }
    this.down.set(target, { since: now, failures: 1, lastFailureAt: now, backAt: null, settling: null });
    withoutLogContext(() => this.logger?.error({ outage: target, error: messageOf(err) }, `${target} is down: ${messageOf(err)}`));
  }

  /** A call to `target` worked: its outage, if it had one, ends once no failure follows for `settleMs`. */
  recovered(target: OutageTarget): void {
    const current = this.down.get(target);
    if (!current) return;
    current.backAt ??= this.now();
    // The process's outage, not the request's or job's that happened to see it end.
    if (!current.settling) withoutLogContext(() => this.settle(target, this.settleMs));
  }

  private settle(target: OutageTarget, waitMs: number): void {
    const current = this.down.get(target)!;
    current.settling = setTimeout(() => {
      current.settling = null;
      const quietMs = this.now() - current.lastFailureAt;
      if (quietMs < this.settleMs) return this.settle(target, this.settleMs - quietMs);
      this.down.delete(target);
      const downMs = Math.max(0, (current.lastFailureAt > current.backAt! ? current.lastFailureAt : current.backAt!) - current.since);
      this.logger?.info({ outage: target, downMs, failures: current.failures }, `${target} is back after ${(downMs / 1000).toFixed(1)} s (${current.failures} failed calls meanwhile)`);
    }, waitMs);
    current.settling.unref?.();
  }
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}`.trim() : message;
}

/** This process's outages. */
export const outages = new Outages();

/** Not answering: network failures, and PostgreSQL's "cannot connect / connection lost / shutting down / starting up" (classes 08 and 57P). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);
const UNREACHABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|Connection terminated|connection is closed|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error/i;

/**
 * Whether an error is a store or host not answering (as opposed to answering with a refusal): the
 * one place that knows, for Redis, PostgreSQL (through TypeORM's `driverError`) and plain network
 * errors (through `cause` and an AggregateError's `errors`).
 */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const { code, message, errors, driverError, cause } = e as { code?: unknown; message?: unknown; errors?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (Array.isArray(errors) && errors.some((inner) => isUnreachable(inner))) return true;
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
    e = driverError ?? cause;
  }
  return false;
}

/** Anything that emits ioredis's `error` and `ready`. */
interface RedisEvents {
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * A Redis client of ours reports to the process's Redis outage: its connection errors (also what
 * keeps ioredis from warning of an unhandled error event) and its reconnection.
 */
export function reportRedisOutages(client: RedisEvents): void {
  client.on('error', (err) => isUnreachable(err) && outages.failed('Redis', err));
  client.on('ready', () => outages.recovered('Redis'));
}
