import { defineRunJob, type RunJobPayload, type RunJobResult } from './job-definition';

export const INVENTORY_SYNC_JOB = 'inventory.sync' as const;

/**
 * `inventory.sync`: the stock of every SKU catalog sync has put on JOOR, from the connection's one AMC
 * warehouse and stock field to its JOOR warehouse, for one connection.
 * Producers: the gateway (`POST /connections/:id/sync/inventory`, the connection's schedule every
 * `inventoryPollSeconds`), catalog-sync's follow-ups (the stock of the SKUs a catalog run wrote).
 * Consumer: apps/inventory-sync (`InventorySyncProcessor`).
 */
export interface InventorySyncPayload extends RunJobPayload {
  /** Every SKU on JOOR, not only the stock changed since the cursor. */
  full?: boolean;
  /** Only the SKUs of these styles. */
  styleNumbers?: string[];
}

export type InventorySyncResult = RunJobResult;

export const INVENTORY_SYNC = defineRunJob<InventorySyncPayload, InventorySyncResult>()({
  name: INVENTORY_SYNC_JOB,
  kind: 'inventory',
  queue: 'inventory-sync',
  priority: 'inventory',
  // A poll runs every minute: a failed one is soon replaced by the next; fewer, quicker attempts keep the queue short.
  options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 } },
});
