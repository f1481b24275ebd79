import type { Job } from 'bullmq';
import { CANARY_JOB, MESH_CANARY, RUN_JOBS, type CanaryPayload, type CanaryResult, type JobSpec, type PayloadOf, type ResultOf } from './jobs/index';
import type { ContractQueueName } from './queues';

export type { JobSpec } from './jobs/index';

/** The definition of each sync kind's job (see jobs/index.ts). */
export type RunJobDefinitions = (typeof RUN_JOBS)[number];
/** The names of the sync kinds' jobs (`catalog.sync`, `orders.poll`, ...). */
export type RunJobName = RunJobDefinitions['name'];
export type RunJobDefinitionOf<N extends RunJobName> = Extract<RunJobDefinitions, { name: N }>;
/** A sync kind's job payload by the job's name alone (each such name lives in one queue). */
export type RunJobPayloadOf<N extends RunJobName> = PayloadOf<RunJobDefinitionOf<N>>;

type RunJobsOn<Q extends ContractQueueName> = Extract<RunJobDefinitions, { queue: Q }>;

/**
 * The contract: every queue's job names, each paired with its payload and result types, derived
 * from the job definitions (one file per job under jobs/). Producers (`JobProducer.add`, `addJob`)
 * and consumers (`JobHandlers`) are both typed from it, so the compiler checks one against the other.
 * Every queue takes the canary; a sync queue also takes the jobs of the kind its service serves.
 */
export type QueueContract = {
  [Q in ContractQueueName]: {
    [N in typeof CANARY_JOB | RunJobsOn<Q>['name']]: N extends typeof CANARY_JOB
      ? JobSpec<CanaryPayload, CanaryResult>
      : JobSpec<PayloadOf<Extract<RunJobsOn<Q>, { name: N }>>, ResultOf<Extract<RunJobsOn<Q>, { name: N }>>>;
  };
};

export type JobName<Q extends ContractQueueName> = keyof QueueContract[Q] & string;
export type JobPayload<Q extends ContractQueueName, N extends JobName<Q>> = QueueContract[Q][N] extends JobSpec<infer P, unknown> ? P : never;
export type JobResult<Q extends ContractQueueName, N extends JobName<Q>> = QueueContract[Q][N] extends JobSpec<unknown, infer R> ? R : never;

/** A job of the contract as BullMQ hands it over (or answers it to its producer). */
export type ContractJob<Q extends ContractQueueName, N extends JobName<Q>> = Job<JobPayload<Q, N>, JobResult<Q, N>, N>;

/** Every job definition, the canary first. */
export const JOB_DEFINITIONS = [MESH_CANARY, ...RUN_JOBS] as const;

/** The job names a queue's consumer must handle (checked at boot: a service refuses to start without a handler for each). */
export function jobNamesOf<Q extends ContractQueueName>(queue: Q): JobName<Q>[] {
  return JOB_DEFINITIONS.filter((definition) => (definition.queues as readonly string[]).includes(queue)).map((definition) => definition.name) as JobName<Q>[];
}

/** The definition of a sync kind's job by its name: its queue, kind, budget priority and options. */
export function runJobDefinition<N extends RunJobName>(name: N): RunJobDefinitionOf<N> {
  const definition = RUN_JOBS.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no job ${String(name)} in the contract`);
  return definition as RunJobDefinitionOf<N>;
}

/** The sync kinds that exist so far (those with a job). */
export type AvailableSyncKind = RunJobDefinitions['kind'];

type SyncKindJobs = { readonly [K in AvailableSyncKind]: { readonly queue: Extract<RunJobDefinitions, { kind: K }>['queue']; readonly job: Extract<RunJobDefinitions, { kind: K }>['name'] } };

/** The queue and job a trigger or schedule of each available kind enqueues, from the job definitions. */
export const SYNC_KIND_JOBS = Object.fromEntries(RUN_JOBS.map((definition) => [definition.kind, { queue: definition.queue, job: definition.name }])) as SyncKindJobs;

export function isAvailableSyncKind(kind: string): kind is AvailableSyncKind {
  return Object.prototype.hasOwnProperty.call(SYNC_KIND_JOBS, kind);
}
