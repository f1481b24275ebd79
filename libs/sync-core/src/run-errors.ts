import { UnrecoverableError } from 'bullmq';
import { AmcApiError } from '@app/amc-client';
import type { CancelReason } from '@app/contracts';
import { JoorApiError } from '@app/joor-client';

/** The connection a job names is gone (deleted while its job waited). */
export class ConnectionNotFoundError extends Error {
  override readonly name = 'ConnectionNotFoundError';
  constructor(id: string) {
    super(`connection ${id} does not exist (deleted?)`);
  }
}

/**
 * The run must stop now: its connection was paused or deleted. Thrown at a batch boundary (the
 * run's `flush`/`checkpoint`) and the reason an aborted wait inside a batch rejects with; the
 * runner ends the run `cancelled`, keeping what it did.
 */
export class RunCancelled extends Error {
  override readonly name = 'RunCancelled';
  constructor(readonly reason: CancelReason) {
    super(`the run was cancelled: ${reason}`);
  }
}

/** What a run's failure means for its job: retry later (transient) or stop now (permanent), and the reason a person reads. */
export interface RunFailure {
  permanent: boolean;
  reason: string;
}

/**
 * One classification for every sync kind. Permanent: refused credentials, any other 4xx, AMC's own
 * refusals, a connection that is gone, a run that said so (UnrecoverableError), a cancelled run
 * (so a body that sorts errors passes the cancellation on instead of retrying). Everything else
 * (5xx, 429 after waiting, timeouts, resets, malformed answers, a database or Redis blip) is
 * transient: the job's attempts retry it with backoff.
 */
export function classifyRunError(err: unknown): RunFailure {
  if (err instanceof AmcApiError) return { permanent: !err.retryable, reason: `AMC: ${err.message}` };
  if (err instanceof JoorApiError) return { permanent: !err.transient, reason: `JOOR: ${err.message}` };
  if (err instanceof ConnectionNotFoundError || err instanceof UnrecoverableError || err instanceof RunCancelled) return { permanent: true, reason: err.message };
  return { permanent: false, reason: err instanceof Error ? err.message : String(err) };
}

/** The error a permanent failure ends its job with: no more attempts, the original kept as its cause. */
export function unrecoverable(reason: string, cause: unknown): UnrecoverableError {
  const error = new UnrecoverableError(reason);
  (error as Error & { cause?: unknown }).cause = cause;
  return error;
}

/** PostgreSQL's "cannot connect / connection lost / shutting down / starting up" codes (classes 08 and 57P). */
const STORE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
const STORE_DOWN_MESSAGES =
  /Connection terminated|connection is closed|Connection is closed|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error/i;

/**
 * Our own store (PostgreSQL; Redis through BullMQ) cannot be reached: an outage, not something
 * wrong with the run. AMC's and JOOR's errors never count (they are their clients' errors, sorted
 * by classifyRunError). Looks through TypeORM's `driverError` and `cause`.
 */
export function isStoreUnreachable(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 4; depth++) {
    if (e instanceof AmcApiError || e instanceof JoorApiError) return false;
    if (typeof e.code === 'string' && STORE_DOWN_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && STORE_DOWN_MESSAGES.test(e.message)) return true;
    e = e.driverError ?? e.cause;
  }
  return false;
}
