import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { currentLogContext } from '../logging/log-context';
import { addJob, upsertScheduler, type ContractJob, type ContractQueueName, type EnqueueOptions, type JobName, type JobPayload } from '@app/contracts';

/**
 * The typed way to enqueue in a Nest app: the payload must match the contract of the queue and job
 * name, and the job's options come from the contract unless overridden. The queues must be
 * registered in the app (`BullModule.registerQueue`). Outside Nest, use `addJob`/`upsertScheduler`
 * of @app/contracts, which this calls.
 */
@Injectable()
export class JobProducer {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** The BullMQ queue, for reading (counts, jobs, schedulers) and removing; never to add to. */
  queue(name: ContractQueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** A run's job added while a request (or a job that came from one) is handled carries the request's id, for the logs. */
  add<Q extends ContractQueueName, N extends JobName<Q>>(queue: Q, name: N, payload: JobPayload<Q, N>, options: EnqueueOptions): Promise<ContractJob<Q, N>> {
    const { requestId } = currentLogContext();
    const isRunPayload = typeof payload === 'object' && payload !== null && 'connectionId' in payload;
    const carried = requestId && isRunPayload && !('requestId' in payload) ? { ...payload, requestId } : payload;
    return addJob(this.queue(queue), queue, name, carried, options);
  }

  /** Creates or updates a job scheduler adding `name` with `payload` every `everyMs`; typed like `add`. */
  upsertScheduler<Q extends ContractQueueName, N extends JobName<Q>>(queue: Q, name: N, schedulerId: string, everyMs: number, payload: JobPayload<Q, N>): Promise<void> {
    return upsertScheduler(this.queue(queue), queue, name, schedulerId, everyMs, payload);
  }

  async removeScheduler(queue: ContractQueueName, schedulerId: string): Promise<void> {
    await this.queue(queue).removeJobScheduler(schedulerId);
  }
}
