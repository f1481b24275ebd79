import type { JobsOptions, Queue } from 'bullmq';
import { jobOptionsFor } from './job-options';
import type { ContractJob, JobName, JobPayload } from './jobs';
import type { ContractQueueName } from './queues';

/**
 * The one place jobs enter a queue. Everything that enqueues goes through these two functions
 * (in Nest, through `JobProducer`, which calls them): the payload must match the contract of the
 * queue and job name, and the options start from the job's own. The lint (`no-restricted-syntax` in
 * eslint.config.mjs) and a spec (`test/typed-enqueue.spec.ts`) fail on a `queue.add`, `addBulk` or
 * `upsertJobScheduler` anywhere else.
 */

/** A job's options beyond its contract's: a deterministic job id is required (idempotent enqueueing). */
export type EnqueueOptions = JobsOptions & { jobId: string };

function checkQueue(queue: Queue, name: ContractQueueName): void {
  if (queue.name !== name) throw new Error(`this queue is ${queue.name}, not ${name}`);
}

/** Adds a job of the contract to `queue` (a BullMQ queue named `queueName`). */
export async function addJob<Q extends ContractQueueName, N extends JobName<Q>>(queue: Queue, queueName: Q, name: N, payload: JobPayload<Q, N>, options: EnqueueOptions): Promise<ContractJob<Q, N>> {
  checkQueue(queue, queueName);
  // eslint-disable-next-line no-restricted-syntax -- the one typed place jobs are added
  return (await queue.add(name, payload, { ...jobOptionsFor(queueName, name), ...options })) as ContractJob<Q, N>;
}

/**
 * Creates or updates a job scheduler that adds `name` with `payload` every `everyMs`. The jobs it
 * adds get the contract's retry and retention options (a scheduler's jobs take no custom id).
 */
export async function upsertScheduler<Q extends ContractQueueName, N extends JobName<Q>>(
  queue: Queue,
  queueName: Q,
  name: N,
  schedulerId: string,
  everyMs: number,
  payload: JobPayload<Q, N>,
): Promise<void> {
  checkQueue(queue, queueName);
  const { attempts, backoff, removeOnComplete, removeOnFail } = jobOptionsFor(queueName, name);
  // eslint-disable-next-line no-restricted-syntax -- the one typed place job schedulers are set
  await queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name, data: payload, opts: { attempts, backoff, removeOnComplete, removeOnFail } });
}
