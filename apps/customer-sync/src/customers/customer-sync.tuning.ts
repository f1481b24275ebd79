export const CUSTOMER_SYNC_TUNING = Symbol('CUSTOMER_SYNC_TUNING');

export interface CustomerSyncTuning {
  /** Customers per v2 bulk-connection call (5 credits each): as many as JOOR takes, so a full sync makes the fewest calls. */
  customersPerCall: number;
  /** The delta re-reads this far before the last run's start: AMC's clock may differ from ours, and writes land while we read. */
  cursorOverlapMs: number;
  /** How soon a manual run that found another customer run of its connection going looks again. */
  busyRetryMs: number;
  /** Pending customers one pending check looks up at most (1 credit each). */
  pendingChecksPerRun: number;
  /** A pending customer is looked up again only this long after it was sent or last looked up. */
  pendingRecheckMs: number;
}
