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

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** Whether an error is a store or host not answering (as opposed to answering with a refusal). */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isUnreachable(inner))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|connect ETIMEDOUT|socket hang up|Connection terminated/i.test(message)) return true;
  }
  return false;
}
