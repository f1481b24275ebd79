import type { RunStatus, RunTrigger, SyncKind } from '@app/contracts';
import type { SyncEventEntity, SyncRunEntity } from '@app/persistence';

export interface RunView {
  id: string;
  connectionId: string;
  kind: SyncKind;
  trigger: RunTrigger;
  status: RunStatus;
  progress: { done: number; total: number | null };
  counts: { created: number; updated: number; unchanged: number; failed: number };
  creditsSpent: number;
  details: Record<string, unknown>;
  error: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toRunView(run: SyncRunEntity): RunView {
  return {
    id: run.id,
    connectionId: run.connectionId,
    kind: run.kind,
    trigger: run.trigger,
    status: run.status,
    progress: { done: run.progressDone, total: run.progressTotal },
    counts: { created: run.countCreated, updated: run.countUpdated, unchanged: run.countUnchanged, failed: run.countFailed },
    creditsSpent: run.creditsSpent,
    details: run.details,
    error: run.error,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export interface EventView {
  id: string;
  level: string;
  entityType: string | null;
  entityKey: string | null;
  reason: string;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export function toEventView(event: SyncEventEntity): EventView {
  return {
    id: event.id,
    level: event.level,
    entityType: event.entityType,
    entityKey: event.entityKey,
    reason: event.reason,
    details: event.details,
    createdAt: event.createdAt.toISOString(),
  };
}
