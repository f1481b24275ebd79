import type { CanaryPayload, CanaryResult } from './canary.job';
import type { QueueName } from './queues';
import type { CatalogSyncPayload, OrdersPollPayload, RunJobResult } from './sync-jobs';

/** A job's payload (small JSON: ids, cursors, ISO dates) and what its handler returns. */
export interface JobSpec<Payload, Result> {
  payload: Payload;
  result: Result;
}

/**
 * The contract: every queue's job names, each paired with its payload and result types.
 * Producers and consumers are both typed from this map, so the compiler checks one against
 * the other. Only jobs that are really implemented belong here.
 */
export interface QueueContract {
  'catalog-sync': { 'mesh.canary': JobSpec<CanaryPayload, CanaryResult>; 'catalog.sync': JobSpec<CatalogSyncPayload, RunJobResult> };
  'media-sync': { 'mesh.canary': JobSpec<CanaryPayload, CanaryResult> };
  'inventory-sync': { 'mesh.canary': JobSpec<CanaryPayload, CanaryResult> };
  'customer-sync': { 'mesh.canary': JobSpec<CanaryPayload, CanaryResult> };
  'order-ingest': { 'mesh.canary': JobSpec<CanaryPayload, CanaryResult>; 'orders.poll': JobSpec<OrdersPollPayload, RunJobResult> };
}

export type JobName<Q extends QueueName> = keyof QueueContract[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = QueueContract[Q][N] extends JobSpec<infer P, unknown> ? P : never;
export type JobResult<Q extends QueueName, N extends JobName<Q>> = QueueContract[Q][N] extends JobSpec<unknown, infer R> ? R : never;

/** Listing every job name of every queue; the mapped type makes a missing or extra name a compile error. */
type JobNameTable = { [Q in QueueName]: { [N in JobName<Q>]: true } };
const JOB_NAME_TABLE: JobNameTable = {
  'catalog-sync': { 'mesh.canary': true, 'catalog.sync': true },
  'media-sync': { 'mesh.canary': true },
  'inventory-sync': { 'mesh.canary': true },
  'customer-sync': { 'mesh.canary': true },
  'order-ingest': { 'mesh.canary': true, 'orders.poll': true },
};

/** The job names a queue's consumer must handle (checked at boot: a service refuses to start without a handler for each). */
export function jobNamesOf<Q extends QueueName>(queue: Q): JobName<Q>[] {
  return Object.keys(JOB_NAME_TABLE[queue]) as JobName<Q>[];
}

export const CANARY_JOB = 'mesh.canary' as const;
