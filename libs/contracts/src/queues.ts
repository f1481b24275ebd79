/**
 * Every sync queue, one per sync service.
 * NEVER rename a queue: the name is part of every Redis key of its jobs, so a rename
 * orphans whatever is waiting, delayed or failed under the old name. Add a new one instead.
 */
export const QUEUES = {
  catalog: 'catalog-sync',
  media: 'media-sync',
  inventory: 'inventory-sync',
  customer: 'customer-sync',
  order: 'order-ingest',
} as const;

export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey];

export const SYNC_QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

/** The service that consumes each queue (its app folder and process name). */
export const QUEUE_SERVICE: Record<QueueName, string> = {
  'catalog-sync': 'catalog-sync',
  'media-sync': 'media-sync',
  'inventory-sync': 'inventory-sync',
  'customer-sync': 'customer-sync',
  'order-ingest': 'order-ingest',
};
