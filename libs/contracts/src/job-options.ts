import type { DefaultJobOptions, JobsOptions } from 'bullmq';
import type { JobName } from './jobs';
import type { QueueName } from './queues';

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/**
 * Defaults for every job. Calls to AMC/JOOR fail transiently (rate limits, 5xx, resets), so
 * retry with exponential backoff and jitter. Failed jobs are kept two weeks so a person can
 * see why; finished ones a day, bounded by count so Redis stays small.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: DAY_S, count: 1_000 },
  removeOnFail: { age: 14 * DAY_S, count: 10_000 },
};

type JobOptionOverrides = { [Q in QueueName]?: { [N in JobName<Q>]?: Partial<JobsOptions> } };

/** Per-job departures from the defaults, each with its reason. */
const JOB_OPTION_OVERRIDES: JobOptionOverrides = {};

/** A canary measures liveness: a retry would hide the very failure it probes for. */
const CANARY_OPTIONS: Partial<JobsOptions> = {
  attempts: 1,
  removeOnComplete: { age: HOUR_S, count: 100 },
  removeOnFail: { age: DAY_S, count: 100 },
};

export function jobOptionsFor<Q extends QueueName>(queue: Q, name: JobName<Q>): JobsOptions {
  if (name === 'mesh.canary') return { ...DEFAULT_JOB_OPTIONS, ...CANARY_OPTIONS };
  const perQueue = JOB_OPTION_OVERRIDES[queue] as Record<string, Partial<JobsOptions>> | undefined;
  return { ...DEFAULT_JOB_OPTIONS, ...(perQueue?.[name] ?? {}) };
}

/**
 * Concurrency of each queue's worker; `WORKER_CONCURRENCY` overrides it per process.
 * JOOR credits, not CPU, bound most of this work, so a handful of jobs at once is enough.
 */
export const WORKER_CONCURRENCY: Record<QueueName, number> = {
  'catalog-sync': 2,
  'media-sync': 2,
  'inventory-sync': 2,
  'customer-sync': 2,
  'order-ingest': 4,
};
