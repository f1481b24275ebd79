import { CANARY_QUEUES, QUEUES, type CanaryQueueName, type QueueName } from './queues';
import type { SyncKind } from './sync-runs';

/**
 * The JOOR credit budget's priorities, highest first. libs/joor-budget keeps its own
 * `BUDGET_PRIORITIES`/`BudgetPriority` (contracts import no other lib); a spec there checks that the
 * two lists agree, in order.
 */
export const BUDGET_PRIORITY_NAMES = ['orders', 'inventory', 'customers', 'catalog', 'media'] as const;
export type BudgetPriorityName = (typeof BUDGET_PRIORITY_NAMES)[number];

export interface SyncNames {
  /** The app folder, process, image and `SERVICE_UNDER_TEST` name; also its queue's name. */
  service: string;
  /** The queue its sync jobs wait in (never renamed, see queues.ts). */
  queue: QueueName;
  /** The queue its mesh canaries wait in. */
  canaryQueue: CanaryQueueName;
  /** The JOOR budget priority its calls take. */
  priority: BudgetPriorityName;
}

/**
 * One concept, its name in each place, in one table. A sync kind (the API's
 * `POST /connections/:id/sync/:kind`, `sync_run.kind`) is served by one service, which consumes one
 * queue and one canary queue and spends JOOR credits at one budget priority. The names differ for
 * history's sake (queues and stored kinds are never renamed); this table is where they meet. The
 * kind's job (name, payload, result, options) is in `jobs/<job>.job.ts`, which states the same
 * queue and priority (the compiler checks it against this row); `SYNC_KIND_JOBS` lists the kinds
 * that have one.
 *
 * | kind        | service / queue  | canary queue            | budget priority | job            |
 * |-------------|------------------|-------------------------|-----------------|----------------|
 * | `styles`    | `catalog-sync`   | `catalog-sync-canary`   | `catalog`       | `catalog.sync` |
 * | `images`    | `media-sync`     | `media-sync-canary`     | `media`         | `media.sync`   |
 * | `inventory` | `inventory-sync` | `inventory-sync-canary` | `inventory`     | `inventory.sync` |
 * | `customers` | `customer-sync`  | `customer-sync-canary`  | `customers`     | `customer.sync`|
 * | `orders`    | `order-ingest`   | `order-ingest-canary`   | `orders`        | `orders.poll`  |
 */
export const SYNC_NAMES = {
  styles: { service: 'catalog-sync', queue: QUEUES.catalog, canaryQueue: CANARY_QUEUES['catalog-sync'], priority: 'catalog' },
  images: { service: 'media-sync', queue: QUEUES.media, canaryQueue: CANARY_QUEUES['media-sync'], priority: 'media' },
  inventory: { service: 'inventory-sync', queue: QUEUES.inventory, canaryQueue: CANARY_QUEUES['inventory-sync'], priority: 'inventory' },
  customers: { service: 'customer-sync', queue: QUEUES.customer, canaryQueue: CANARY_QUEUES['customer-sync'], priority: 'customers' },
  orders: { service: 'order-ingest', queue: QUEUES.order, canaryQueue: CANARY_QUEUES['order-ingest'], priority: 'orders' },
} as const satisfies Record<SyncKind, SyncNames>;

export type SyncNamesOf<K extends SyncKind> = (typeof SYNC_NAMES)[K];

/** The service that consumes each queue (its app folder and process name), from the table above. */
export const QUEUE_SERVICE = Object.fromEntries(Object.values(SYNC_NAMES).map((row) => [row.queue, row.service])) as Record<QueueName, string>;

/** The sync kind each queue's service serves, from the table above. */
export const QUEUE_KIND = Object.fromEntries(Object.entries(SYNC_NAMES).map(([kind, row]) => [row.queue, kind])) as Record<QueueName, SyncKind>;
