/**
 * Every sync queue, one per sync service (named as the service).
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

/**
 * Each sync service's canary queue: the gateway's mesh probe sends its canaries here, and the
 * service consumes them with a worker of their own (concurrency 1), so a canary never waits behind
 * the long sync jobs of the service's main queue and a busy service is not reported down.
 * NEVER rename one either (same reason as above).
 */
export const CANARY_QUEUES = {
  'catalog-sync': 'catalog-sync-canary',
  'media-sync': 'media-sync-canary',
  'inventory-sync': 'inventory-sync-canary',
  'customer-sync': 'customer-sync-canary',
  'order-ingest': 'order-ingest-canary',
} as const satisfies { [Q in QueueName]: `${Q}-canary` };

export type CanaryQueueName = (typeof CANARY_QUEUES)[QueueName];

export const CANARY_QUEUE_NAMES: readonly CanaryQueueName[] = Object.values(CANARY_QUEUES);

/** Every queue that has a contract: the sync queues and their canary queues. */
export type ContractQueueName = QueueName | CanaryQueueName;
