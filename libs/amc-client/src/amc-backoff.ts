export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** Ceiling of any one computed delay. */
  maxMs: number;
  /** Longest Retry-After honoured in-process; longer waits end the call (the job retries later). */
  maxRetryAfterMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half random, so
 * retries from many workers spread out but never fire back-to-back. `random` in [0, 1). Pure.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Null when absent or unreadable. Pure. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** The wait before the next attempt: the server's Retry-After when given (plus a little jitter), else backoff. Pure. */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | null, random: number): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxRetryAfterMs) + Math.round(random * 250);
  return backoffDelay(attempt, policy, random);
}
