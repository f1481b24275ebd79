import { defineRunJob, type RunJobPayload, type RunJobResult } from './job-definition';

export const CUSTOMER_SYNC_JOB = 'customer.sync' as const;

/**
 * `customer.sync`: AMC customers carrying a JOOR code, to JOOR's customers (v2 "connections"), matched
 * on the JOOR customer code, for one connection; a run then looks up a few of the customers JOOR's data
 * team has not matched yet (the pending check).
 * Producers: the gateway (`POST /connections/:id/sync/customers`, the connection's schedule every
 * `customerSyncMinutes`). Consumer: apps/customer-sync (`CustomerSyncProcessor`).
 */
export interface CustomerSyncPayload extends RunJobPayload {
  /** Every active AMC customer, not only those changed since the cursor (and the due ones). */
  full?: boolean;
  /** Only the AMC customers carrying these JOOR codes (no pending check). */
  codes?: string[];
}

export type CustomerSyncResult = RunJobResult;

export const CUSTOMER_SYNC = defineRunJob<CustomerSyncPayload, CustomerSyncResult>()({
  name: CUSTOMER_SYNC_JOB,
  kind: 'customers',
  queue: 'customer-sync',
  priority: 'customers',
  // The defaults (5 attempts, exponential backoff with jitter) fit: a run is safe to repeat (the hashes).
  options: {},
});
