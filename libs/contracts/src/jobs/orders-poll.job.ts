import { defineRunJob, type RunJobPayload, type RunJobResult } from './job-definition';

export const ORDERS_POLL_JOB = 'orders.poll' as const;

/**
 * `orders.poll`: JOOR orders into AMC, for one connection.
 * Producers: the gateway (`POST /connections/:id/sync/orders`, `POST .../orders/:joorOrderId/retry`,
 * the connection's schedule), follow-ups. Consumer: apps/order-ingest (`OrderIngestProcessor`).
 */
export interface OrdersPollPayload extends RunJobPayload {
  /** Poll this one JOOR order only (the retry route); absent: every order the feed shows. */
  joorOrderId?: string;
}

export type OrdersPollResult = RunJobResult;

export const ORDERS_POLL = defineRunJob<OrdersPollPayload, OrdersPollResult>()({
  name: ORDERS_POLL_JOB,
  kind: 'orders',
  queue: 'order-ingest',
  priority: 'orders',
  // The defaults fit: a poll is idempotent (the ledger), so retrying a failed one is always safe.
  options: {},
});
