import { CATALOG_SYNC } from './catalog-sync.job';
import { CUSTOMER_SYNC } from './customer-sync.job';
import { INVENTORY_SYNC } from './inventory-sync.job';
import { MEDIA_SYNC } from './media-sync.job';
import { ORDERS_POLL } from './orders-poll.job';

export * from './job-definition';
export * from './mesh-canary.job';
export * from './catalog-sync.job';
export * from './orders-poll.job';
export * from './inventory-sync.job';
export * from './customer-sync.job';
export * from './media-sync.job';

/**
 * Every sync kind's job: adding a job is its file plus one entry here. The contract (`QueueContract`),
 * the job names each consumer must handle, `jobOptionsFor` and `SYNC_KIND_JOBS` follow from this list.
 */
export const RUN_JOBS = [CATALOG_SYNC, ORDERS_POLL, INVENTORY_SYNC, CUSTOMER_SYNC, MEDIA_SYNC] as const;
