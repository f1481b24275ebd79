/** What a sync run is about; each kind arrives with its sync capability (see SYNC_NAMES and SYNC_KIND_JOBS). */
export const SYNC_KINDS = ['styles', 'images', 'inventory', 'customers', 'orders'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/** `follow-up`: enqueued by another run's work (the run names it in `causedBy`). */
export const RUN_TRIGGERS = ['manual', 'schedule', 'follow-up'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/**
 * `cancelled`: stopped at a batch boundary because its connection was paused or deleted; what it
 * did is kept on the record (counts, progress, credits, events) and `details.cancelled` says why.
 */
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const EVENT_LEVELS = ['info', 'warning', 'error'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** Answer of `POST /connections/:id/sync/:kind`. */
export interface SyncTriggerAccepted {
  runId: string;
}
