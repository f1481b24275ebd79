/** Upper bound for `holdMs`, so a probe can never park a worker slot for long. */
export const CANARY_MAX_HOLD_MS = 60_000;

/** Sent by the gateway's `/health/mesh` to prove a queue has a live consumer. */
export interface CanaryPayload {
  probeId: string;
  sentAt: string;
  /** Keep the job active this long: used to observe graceful shutdown draining a job. */
  holdMs?: number;
}

export interface CanaryResult {
  probeId: string;
  receivedAt: string;
  finishedAt: string;
  /** `hostname:pid` of the worker that consumed it. */
  consumer: string;
}
