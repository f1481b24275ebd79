import type { JobsOptions } from 'bullmq';
import type { ContractQueueName } from '../queues';
import type { BudgetPriorityName, SyncNamesOf } from '../sync-names';
import type { RunStatus, RunTrigger, SyncKind } from '../sync-runs';

/** Carries a job's payload and result types at compile time only; never present at run time. */
declare const JOB_TYPES: unique symbol;

/** A job's payload (small JSON: ids, cursors, ISO dates) and what its handler returns. */
export interface JobSpec<Payload, Result> {
  payload: Payload;
  result: Result;
}

/**
 * One job of the contract, stated once in its own file (`jobs/<name>.job.ts`): its name, the
 * queue(s) it waits in, its departures from `DEFAULT_JOB_OPTIONS` (each with its reason beside it)
 * and, as types, its payload and result. The contract's tables (`QueueContract`, the job names
 * each consumer must handle, `jobOptionsFor`, `SYNC_KIND_JOBS`) are derived from these.
 */
export interface JobDefinition<Name extends string = string, Queue extends ContractQueueName = ContractQueueName, Payload = unknown, Result = unknown> {
  readonly name: Name;
  readonly queues: readonly Queue[];
  readonly options: Partial<JobsOptions>;
  readonly [JOB_TYPES]?: JobSpec<Payload, Result>;
}

export type PayloadOf<D> = D extends JobDefinition<string, ContractQueueName, infer P, unknown> ? P : never;
export type ResultOf<D> = D extends JobDefinition<string, ContractQueueName, unknown, infer R> ? R : never;

/** `defineJob<Payload, Result>()({ name, queues, options })`: the name and queues keep their literal types. */
export function defineJob<Payload, Result>() {
  return <const Name extends string, const Queue extends ContractQueueName>(definition: {
    name: Name;
    queues: readonly Queue[];
    options: Partial<JobsOptions>;
  }): JobDefinition<Name, Queue, Payload, Result> => definition;
}

/**
 * A run's job. `runId` is given when the gateway created the run (a manual trigger); a scheduled or
 * follow-up job has none and its handler opens a run with that trigger.
 */
export interface RunJobPayload {
  connectionId: string;
  runId?: string;
  trigger?: RunTrigger;
  /** A follow-up job (trigger `follow-up`): the run whose work caused it; the run it opens names it. */
  causedBy?: string;
  /** The id of the gateway request that asked for it (or for the run that caused it): its log lines carry it. */
  requestId?: string;
}

export interface RunJobResult {
  runId: string;
  status: RunStatus;
}

/** The job of one sync kind: in the queue of the service serving the kind, at the kind's JOOR budget priority. */
export interface RunJobDefinition<
  Name extends string = string,
  Kind extends SyncKind = SyncKind,
  Payload extends RunJobPayload = RunJobPayload,
  Result extends RunJobResult = RunJobResult,
> extends JobDefinition<Name, SyncNamesOf<Kind>['queue'], Payload, Result> {
  readonly kind: Kind;
  readonly queue: SyncNamesOf<Kind>['queue'];
  readonly priority: BudgetPriorityName & SyncNamesOf<Kind>['priority'];
}

/**
 * `defineRunJob<Payload>()({ name, kind, queue, priority, options })`. The queue and priority are
 * written out so the job's file reads on its own; the compiler holds them to the kind's row of
 * `SYNC_NAMES` (a job in another service's queue, or at another priority, does not compile).
 */
export function defineRunJob<Payload extends RunJobPayload, Result extends RunJobResult = RunJobResult>() {
  return <const Name extends string, const Kind extends SyncKind>(definition: {
    name: Name;
    kind: Kind;
    queue: SyncNamesOf<NoInfer<Kind>>['queue'];
    priority: SyncNamesOf<NoInfer<Kind>>['priority'];
    options: Partial<JobsOptions>;
  }): RunJobDefinition<Name, Kind, Payload, Result> => ({ ...definition, queues: [definition.queue] });
}
