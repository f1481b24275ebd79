import type { DefaultJobOptions, JobsOptions } from 'bullmq';
import { JOB_DEFINITIONS, type JobName } from './jobs';
import type { ContractQueueName, QueueName } from './queues';

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

/** The defaults overlaid with the job's own departures (stated, with their reasons, in its jobs/<name>.job.ts). */
export function jobOptionsFor<Q extends ContractQueueName>(queue: Q, name: JobName<Q>): JobsOptions {
  const definition = JOB_DEFINITIONS.find((candidate) => candidate.name === name && (candidate.queues as readonly string[]).includes(queue));
  if (!definition) throw new Error(`no job ${name} on queue ${queue} in the contract`);
  return { ...DEFAULT_JOB_OPTIONS, ...definition.options };
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

/** A canary queue's worker: a canary does nothing, so one at a time answers every probe; its own slot is the point. */
export const CANARY_WORKER_CONCURRENCY = 1;
