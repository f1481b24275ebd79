import type { RunStatus, RunTrigger } from './sync-runs';

/**
 * A run's job. `runId` is given when the gateway created the run (a manual trigger); a scheduled
 * job has none and its handler opens a run with trigger "schedule".
 */
export interface RunJobPayload {
  connectionId: string;
  runId?: string;
  trigger?: RunTrigger;
}

export interface RunJobResult {
  runId: string;
  status: RunStatus;
}

/** `catalog.sync`: styles, SKUs, prices and linesheets from AMC to JOOR. */
export interface CatalogSyncPayload extends RunJobPayload {
  /** Every flagged style, not only those changed since the cursor. */
  full?: boolean;
  /** Only these styles (still subject to the SYNC flags). */
  styleNumbers?: string[];
}

/** `orders.poll`: JOOR orders into AMC. */
export type OrdersPollPayload = RunJobPayload;
