/** The sync service's `ContractProcessor` (its queue's WorkerHost), for the worker lifecycle and health. */
export const SYNC_PROCESSOR = Symbol('SYNC_PROCESSOR');
