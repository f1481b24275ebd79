export const INVENTORY_SYNC_TUNING = Symbol('INVENTORY_SYNC_TUNING');

export interface InventorySyncTuning {
  /** Rows per v2 bulk-inventory call (5 credits each): the JOOR client's batch, filled as far as it goes. */
  rowsPerCall: number;
  /** The delta re-reads this far before the last run's start: AMC's clock may differ from ours, and writes land while we read. */
  cursorOverlapMs: number;
  /** How soon a manual run that found another inventory run of its connection going looks again. */
  busyRetryMs: number;
}
