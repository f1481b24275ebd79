import { UnrecoverableError } from 'bullmq';
import { AmcApiError } from '@app/amc-client';
import { isUnreachable } from '@app/common';
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

/**
 * Our own store (PostgreSQL; Redis through BullMQ) cannot be reached: an outage, not something
 * wrong with the run. AMC's and JOOR's errors never count (they are their clients' errors, sorted
 * by classifyRunError); what "cannot be reached" is, is `isUnreachable`'s (@app/common).
 */
export function isStoreUnreachable(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 4; depth++) {
    if (e instanceof AmcApiError || e instanceof JoorApiError) return false;
    e = e.driverError ?? e.cause;
  }
  return isUnreachable(err);
}
