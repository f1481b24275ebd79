import { defineRunJob, type RunJobPayload, type RunJobResult } from './job-definition';

export const CATALOG_SYNC_JOB = 'catalog.sync' as const;

/**
 * `catalog.sync`: styles, SKUs, prices and linesheets from AMC to JOOR, for one connection.
 * Producers: the gateway (`POST /connections/:id/sync/styles`, the connection's schedule), follow-ups.
 * Consumer: apps/catalog-sync (`CatalogSyncProcessor`).
 */
export interface CatalogSyncPayload extends RunJobPayload {
  /** Every flagged style, not only those changed since the cursor. */
  full?: boolean;
  /** Only these styles (still subject to the SYNC flags). */
  styleNumbers?: string[];
}

export type CatalogSyncResult = RunJobResult;

export const CATALOG_SYNC = defineRunJob<CatalogSyncPayload, CatalogSyncResult>()({
  name: CATALOG_SYNC_JOB,
  kind: 'styles',
  queue: 'catalog-sync',
  priority: 'catalog',
  // The defaults (5 attempts, exponential backoff with jitter, failed kept two weeks) fit.
  options: {},
});
