import { parseEnum, parseInteger, readEnv } from '@app/common';

/**
 * Points inside the ingestion of one order where a test may halt the process (so it can be killed
 * with SIGKILL exactly there): before the AMC create, after it (before the ledger knows), after the
 * ledger records it (before JOOR is told), and after JOOR is told (before the ledger knows that).
 */
export const HALT_POINTS = ['before-amc-create', 'after-amc-create', 'before-joor-export', 'after-joor-export'] as const;
export type HaltPoint = (typeof HALT_POINTS)[number];

export const ORDER_INGEST_CONFIG = Symbol('ORDER_INGEST_CONFIG');

export interface OrderIngestConfig {
  /** Orders per page of the JOOR feed (each page 1 credit): JOOR's bulk maximum, so a page's export statuses fit one 5-credit update. */
  feedPageSize: number;
  /** Most orders one poll takes (the rest wait for the next poll), bounding a poll's memory and length. */
  maxOrdersPerPoll: number;
  /** How long a poll waits for another poll of the same connection to finish before giving up. */
  lockWaitMs: number;
  /** Extra rounds for orders that met a transient failure, after the client's own retries ran out. */
  transientRounds: number;
  /** First delay between those rounds (doubling). */
  transientDelayMs: number;
  /**
   * Test hook: halt (log `ORDER_INGEST_HALTED at <point>` and stop working, holding everything as it
   * is) at this point of the first order that reaches it, so a test can SIGKILL the process there.
   * Inert unless set; refused when NODE_ENV=production.
   */
  haltAt: HaltPoint | null;
}

type Env = Record<string, string | undefined>;


export function loadOrderIngestConfig(env: Env = process.env): OrderIngestConfig {
  const haltAt = env.ORDER_INGEST_HALT_AT ? readEnv(env, 'ORDER_INGEST_HALT_AT', parseEnum(HALT_POINTS), '') : null;
  if (haltAt && env.NODE_ENV === 'production') throw new Error('ORDER_INGEST_HALT_AT is a test hook and is refused when NODE_ENV=production');
  return {
    feedPageSize: readEnv(env, 'ORDER_INGEST_FEED_PAGE_SIZE', parseInteger(1, 500), '100'),
    maxOrdersPerPoll: readEnv(env, 'ORDER_INGEST_MAX_ORDERS_PER_POLL', parseInteger(1, 100_000), '10000'),
    lockWaitMs: readEnv(env, 'ORDER_INGEST_LOCK_WAIT_MS', parseInteger(0, 3_600_000), '120000'),
    transientRounds: readEnv(env, 'ORDER_INGEST_TRANSIENT_ROUNDS', parseInteger(0, 10), '3'),
    transientDelayMs: readEnv(env, 'ORDER_INGEST_TRANSIENT_DELAY_MS', parseInteger(0, 600_000), '2000'),
    haltAt,
  };
}
