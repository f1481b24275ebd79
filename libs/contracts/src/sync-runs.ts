/** What a sync run is about; each kind arrives with its sync capability. */
export const SYNC_KINDS = ['styles', 'images', 'inventory', 'customers', 'orders'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export const RUN_TRIGGERS = ['manual', 'schedule', 'follow-up'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const EVENT_LEVELS = ['info', 'warning', 'error'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** Answer of `POST /connections/:id/sync/:kind`. */
export interface SyncTriggerAccepted {
  runId: string;
}

/** The sync kinds that exist so far: the queue and job a trigger or schedule enqueues. */
export const SYNC_KIND_JOBS = {
  styles: { queue: 'catalog-sync', job: 'catalog.sync' },
  orders: { queue: 'order-ingest', job: 'orders.poll' },
} as const satisfies Partial<Record<SyncKind, { queue: string; job: string }>>;

export type AvailableSyncKind = keyof typeof SYNC_KIND_JOBS;

export function isAvailableSyncKind(kind: string): kind is AvailableSyncKind {
  return Object.prototype.hasOwnProperty.call(SYNC_KIND_JOBS, kind);
}
