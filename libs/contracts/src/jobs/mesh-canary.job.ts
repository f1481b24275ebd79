import { CANARY_QUEUE_NAMES, SYNC_QUEUE_NAMES } from '../queues';
import { defineJob } from './job-definition';

export const CANARY_JOB = 'mesh.canary' as const;

/** Upper bound for `holdMs`, so a canary can never park a worker slot for long. */
export const CANARY_MAX_HOLD_MS = 60_000;

/**
 * `mesh.canary`: proves a queue has a live consumer. The gateway's mesh probe sends it to each
 * service's canary queue (`CANARY_QUEUES`), whose own worker answers it at once. Every sync queue
 * accepts it too, as a no-op that can hold a worker slot (`holdMs`): that is how the tests keep a
 * sync worker busy or observe a drain. Consumer: `handleCanary` (libs/common/src/queue).
 */
export interface CanaryPayload {
  probeId: string;
  sentAt: string;
  /** Keep the job active this long (at most CANARY_MAX_HOLD_MS); honoured on a sync queue only. */
  holdMs?: number;
}

/** What the consumer answers; it names no host or process (the probe's answer is public). */
export interface CanaryResult {
  probeId: string;
  receivedAt: string;
  finishedAt: string;
}

export const MESH_CANARY = defineJob<CanaryPayload, CanaryResult>()({
  name: CANARY_JOB,
  queues: [...SYNC_QUEUE_NAMES, ...CANARY_QUEUE_NAMES],
  options: {
    // A canary measures liveness: a retry would hide the very failure it probes for.
    attempts: 1,
    // Probes are frequent and worthless once answered: keep few, briefly.
    removeOnComplete: { age: 3600, count: 100 },
    removeOnFail: { age: 24 * 3600, count: 100 },
  },
});
