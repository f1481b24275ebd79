/** Backoff for transient JOOR failures: exponential with full jitter, capped, never below a server's Retry-After. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // Five attempts span about a minute with the defaults: enough to ride out a JOOR blip; the job retries later beyond that.
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Delay before attempt `attempt + 1` (attempt counts from 1). `random` is injectable for tests. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  // A server-named wait is honoured in full, plus a little jitter so processes do not return in lockstep.
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.max(jittered, retryAfterMs + Math.round(random() * Math.min(1_000, policy.baseDelayMs)));
  return jittered;
}

/** Statuses worth another try: rate limit, server trouble, gateway trouble. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
