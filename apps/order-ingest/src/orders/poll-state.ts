import type { OrdersPollPayload } from '@app/contracts';
import type { JoorOrderExportUpdate } from '@app/joor-client';
import type { RunContext } from '@app/sync-core';
import { AmcOrderLookup } from './amc-order-lookup';

/** What became of one order in this poll. */
export type Outcome = 'created' | 'unchanged' | 'failed' | 'deferred' | 'skipped';

/** One poll's working state: its run, the AMC lookups, the export statuses waiting to be written, the tally. */
export class PollState {
  readonly lookup: AmcOrderLookup;
  readonly exports: JoorOrderExportUpdate[] = [];
  readonly tally: Record<Outcome, number> = { created: 0, unchanged: 0, failed: 0, deferred: 0, skipped: 0 };

  constructor(readonly run: RunContext<OrdersPollPayload>) {
    this.lookup = new AmcOrderLookup(run.clients.amc);
  }

  get connectionId(): string {
    return this.run.connectionId;
  }
}
