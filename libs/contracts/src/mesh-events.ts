import type { RunStatus, RunTrigger, SyncKind } from './sync-runs';

/**
 * The mesh's events: what the sync services say about their runs and what the gateway says about
 * a connection, published over Redis pub/sub (@nestjs/microservices' Redis transport) beside the
 * BullMQ queues, which keep every piece of durable work. An event is a hint that something changed,
 * never the truth: a listener that misses one loses nothing, because the run record and the
 * connection row in PostgreSQL are (the gateway's streams start from them, the sync services check
 * `connection.paused_at` at every batch boundary). So an event carries ids and small facts, no
 * entities, and is sent at most once (fire-and-forget: a Redis outage never breaks a sync).
 *
 * The channel of an event is `<QUEUE_PREFIX>:mesh:<name>` (`meshChannel`), so deployments and test
 * runs sharing one Redis do not hear each other. Never rename an event: the name is the channel.
 */
export const MESH_EVENT_NAMES = ['run.started', 'run.progress', 'run.waiting', 'run.finished', 'connection.paused', 'connection.resumed', 'connection.deleted'] as const;
export type MeshEventName = (typeof MESH_EVENT_NAMES)[number];

/** The statuses a run ends in. */
export const FINAL_RUN_STATUSES = ['succeeded', 'partial', 'failed', 'cancelled'] as const satisfies readonly RunStatus[];
export type FinalRunStatus = (typeof FINAL_RUN_STATUSES)[number];

export function isFinalRunStatus(status: string): status is FinalRunStatus {
  return (FINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/** What every run event names. */
export interface RunEventBase {
  runId: string;
  connectionId: string;
  kind: SyncKind;
  /** ISO time the event was sent. */
  at: string;
}

/** The counts a run has recorded, as on its record (per entity: style, order). */
export interface RunCountsView {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** A job began (or began again after a retry or a wait) to work on the run: it is `running`. */
export interface RunStartedEvent extends RunEventBase {
  trigger: RunTrigger;
}

/** What the run has recorded so far, sent each time it writes its progress (every batch: a page of styles, a chunk of orders). */
export interface RunProgressEvent extends RunEventBase {
  done: number;
  total: number | null;
  counts: RunCountsView;
  /** JOOR credits the run's calls took, over all its attempts. */
  credits: number;
}

/** The run is `queued` again: an attempt failed and will be retried, another run holds its connection, or its connection is paused. */
export interface RunWaitingEvent extends RunEventBase {
  reason: string;
}

/** The run ended, with what it recorded. */
export interface RunFinishedEvent extends RunEventBase {
  status: FinalRunStatus;
  error: string | null;
  done: number;
  total: number | null;
  counts: RunCountsView;
  credits: number;
}

/** A connection event: paused (its schedules stopped, its jobs stop at their next batch boundary and wait), resumed, or deleted (its jobs stop, then its rows go). */
export interface ConnectionEvent {
  connectionId: string;
  at: string;
}

/** Each event's payload by its name: emitters and listeners are typed from it. */
export interface MeshEventMap {
  'run.started': RunStartedEvent;
  'run.progress': RunProgressEvent;
  'run.waiting': RunWaitingEvent;
  'run.finished': RunFinishedEvent;
  'connection.paused': ConnectionEvent;
  'connection.resumed': ConnectionEvent;
  'connection.deleted': ConnectionEvent;
}

/** One event as a listener receives it. */
export type MeshEvent = { [N in MeshEventName]: { name: N; payload: MeshEventMap[N] } }[MeshEventName];

/** The Redis channel (the transport's pattern) of an event under a queue prefix. */
export function meshChannel(prefix: string, name: MeshEventName): string {
  return `${prefix}:mesh:${name}`;
}

/** Why a run was cancelled, as its record says (`details.cancelled`). */
export const CANCEL_REASONS = { paused: 'connection paused', deleted: 'connection deleted' } as const;
export type CancelReason = (typeof CANCEL_REASONS)[keyof typeof CANCEL_REASONS];
