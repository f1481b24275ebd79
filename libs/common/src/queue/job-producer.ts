import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { jobOptionsFor, type JobName, type JobPayload, type JobResult, type QueueName } from '@app/contracts';

/**
 * The typed way to enqueue: the payload must match the contract of the queue and job name,
 * and the job's options come from the contract's table unless overridden.
 */
@Injectable()
export class JobProducer {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  add<Q extends QueueName, N extends JobName<Q>>(
    queue: Q,
    name: N,
    payload: JobPayload<Q, N>,
    options: JobsOptions & { jobId: string },
  ): Promise<Job<JobPayload<Q, N>, JobResult<Q, N>, N>> {
    return this.queue(queue).add(name, payload, { ...jobOptionsFor(queue, name), ...options }) as Promise<Job<JobPayload<Q, N>, JobResult<Q, N>, N>>;
  }
}
