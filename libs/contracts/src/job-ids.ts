/**
 * Deterministic job ids: adding a job whose id already exists is a no-op in BullMQ,
 * so building ids from natural keys makes enqueueing idempotent.
 * BullMQ reserves ':' (its key separator) and rejects integer-looking custom ids.
 */
function part(value: string | number): string {
  return String(value).replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function buildJobId(...parts: Array<string | number>): string {
  if (parts.length === 0) throw new Error('a job id needs at least one part');
  return parts.map(part).join('-');
}

export const jobIds = {
  canary: (queue: string, probeId: string) => buildJobId('canary', queue, probeId),
  /** A manually triggered run: one job per run. */
  run: (runId: string) => buildJobId('run', runId),
  /** The repeating schedule of one sync kind of one connection (a BullMQ job scheduler id). */
  schedule: (kind: string, connectionId: string) => buildJobId('schedule', kind, connectionId),
  /**
   * A follow-up: one job per target job, connection, causing run and follow-up window (the window's
   * index since the epoch), so a burst of requests coalesces into one job (see FOLLOW_UP_WINDOW_MS).
   */
  followUp: (target: string, connectionId: string, causedBy: string, window: number) => buildJobId('follow-up', target, connectionId, causedBy, window),
};
