/**
 * Points inside the ingestion of one order where a test may stop the process (to kill it with
 * SIGKILL exactly there): before the AMC create, after it (before the ledger knows), after the
 * ledger records it (before JOOR is told), and after JOOR is told (before the ledger knows that).
 */
export const INGEST_POINTS = ['before-amc-create', 'after-amc-create', 'before-joor-export', 'after-joor-export'] as const;
export type IngestPoint = (typeof INGEST_POINTS)[number];

export const INGEST_HOOKS = Symbol('INGEST_HOOKS');

/** Called at each point. Production installs the no-op; only tests install another (test/halting-order-ingest.main.ts). */
export interface IngestHooks {
  reached(point: IngestPoint, joorOrderId: string): Promise<void>;
}

export const NO_INGEST_HOOKS: IngestHooks = { reached: async () => undefined };
