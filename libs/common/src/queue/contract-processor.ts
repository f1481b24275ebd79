import { Logger, OnModuleInit } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { jobNamesOf, type ContractJob, type JobName, type JobResult, type QueueName } from '@app/contracts';

export type { ContractJob } from '@app/contracts';

/** One handler per job name of the queue's contract; a missing one is a compile error. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobName<Q>]: (job: ContractJob<Q, N>) => Promise<JobResult<Q, N>>;
};

/** The names in the contract that have no handler (empty when the processor is complete). */
export function missingHandlers(queue: QueueName, handlers: Record<string, unknown>): string[] {
  return jobNamesOf(queue).filter((name) => typeof handlers[name] !== 'function');
}

/**
 * Base of every sync service's processor: dispatches each job to the handler its name maps to,
 * and refuses to let the service start when a job name in the contract has no handler.
 */
export abstract class ContractProcessor<Q extends QueueName> extends WorkerHost implements OnModuleInit {
  abstract readonly queueName: Q;
  protected abstract readonly handlers: JobHandlers<Q>;
  protected readonly logger = new Logger(this.constructor.name);

  onModuleInit(): void {
    const missing = missingHandlers(this.queueName, this.handlers as Record<string, unknown>);
    if (missing.length > 0) {
      throw new Error(`${this.queueName} cannot start: no handler for job ${missing.join(', ')}`);
    }
  }

  async process(job: Job): Promise<unknown> {
    const handler = (this.handlers as unknown as Record<string, ((job: Job) => Promise<unknown>) | undefined>)[job.name];
    if (!handler) throw new UnrecoverableError(`${this.queueName} has no handler for job "${job.name}"`);
    return handler(job);
  }
}
