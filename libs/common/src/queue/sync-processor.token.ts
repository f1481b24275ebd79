import type { QueueName } from '@app/contracts';
import type { ContractProcessor } from './contract-processor';

/** The sync service's `ContractProcessor` (its queue's WorkerHost), for the worker lifecycle and health. */
export const SYNC_PROCESSOR = Symbol('SYNC_PROCESSOR');

/**
 * What `SYNC_PROCESSOR` provides: the processor inside a plain object. An alias of the processor
 * itself (`useExisting`) is found by @nestjs/bullmq's explorer as a second processor, which builds a
 * second worker for the queue: never run, holding Redis connections, printing each of their errors.
 */
export interface SyncProcessorRef {
  readonly processor: ContractProcessor<QueueName>;
}
