import { parseInteger, readEnv } from '@app/common';

export const ORDER_INGEST_CONFIG = Symbol('ORDER_INGEST_CONFIG');

export interface OrderIngestConfig {
  /** Orders per page of the JOOR feed (each page 1 credit): JOOR's bulk maximum, so a page's export statuses fit one 5-credit update. */
  feedPageSize: number;
  /** Most orders one poll takes (the rest wait for the next poll), bounding a poll's memory and length. */
  maxOrdersPerPoll: number;
  /** How soon a manual poll that found another poll of its connection going looks again. */
  busyRetryMs: number;
  /** Extra rounds for orders that met a transient failure, after the client's own retries ran out. */
  transientRounds: number;
  /** First delay between those rounds (doubling). */
  transientDelayMs: number;
}

type Env = Record<string, string | undefined>;

export function loadOrderIngestConfig(env: Env = process.env): OrderIngestConfig {
  return {
    feedPageSize: readEnv(env, 'ORDER_INGEST_FEED_PAGE_SIZE', parseInteger(1, 500), '100'),
    maxOrdersPerPoll: readEnv(env, 'ORDER_INGEST_MAX_ORDERS_PER_POLL', parseInteger(1, 100_000), '10000'),
    // A poll takes seconds; looking again after 2 s keeps a manual poll close behind the running one.
    busyRetryMs: readEnv(env, 'ORDER_INGEST_BUSY_RETRY_MS', parseInteger(100, 600_000), '2000'),
    transientRounds: readEnv(env, 'ORDER_INGEST_TRANSIENT_ROUNDS', parseInteger(0, 10), '3'),
    transientDelayMs: readEnv(env, 'ORDER_INGEST_TRANSIENT_DELAY_MS', parseInteger(0, 600_000), '2000'),
  };
}
