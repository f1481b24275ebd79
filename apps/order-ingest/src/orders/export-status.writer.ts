import { Inject, Injectable } from '@nestjs/common';
import { JoorApiError } from '@app/joor-client';
import { successDescription } from '@app/mapping';
import { OrderLedgerRepository } from '@app/persistence';
import { classifyRunError } from '@app/sync-core';
import { INGEST_HOOKS, type IngestHooks } from './ingest-hooks';
import type { PollState } from './poll-state';

/**
 * The export status JOOR shows on each order (Success naming the AMC order, or Failed with the
 * reason), written in bulk (one 5-credit call per 100 orders), and the ledger's note that JOOR took it.
 */
@Injectable()
export class ExportStatusWriter {
  constructor(
    private readonly ledger: OrderLedgerRepository,
    @Inject(INGEST_HOOKS) private readonly hooks: IngestHooks,
  ) {}

  /** Writes the statuses gathered so far; an order JOOR did not take stays unexported and is picked up next poll. */
  async flush(state: PollState): Promise<void> {
    if (state.exports.length === 0) return;
    const batch = state.exports.splice(0, state.exports.length);
    try {
      const result = await state.run.clients.joor.updateOrderExportStatus(batch);
      await this.hooks.reached('after-joor-export', String(batch[0].id));
      await this.ledger.markExported(
        state.connectionId,
        result.ok.map((ok) => String(ok.input.id)),
        new Date(),
      );
      for (const failed of result.failed) {
        state.run.event({
          level: 'warning',
          entityType: 'order',
          entityKey: String(failed.input.id),
          reason: `JOOR did not take export status ${failed.input.export_status} for order ${failed.input.id} (${failed.status}: ${failed.message}); tried again at the next poll`,
        });
      }
    } catch (err) {
      const { permanent, reason } = classifyRunError(err);
      if (permanent && !(err instanceof JoorApiError && err.httpStatus === 400)) throw err;
      state.run.event({ level: 'warning', entityType: 'order', reason: `Writing ${batch.length} export status(es) to JOOR failed (${reason}); tried again at the next poll` });
    }
  }

  /**
   * Created orders whose Success JOOR never confirmed and that this poll did not see (a crash right
   * after JOOR took the status, or the order left the statuses polled): ask JOOR, then finish.
   */
  async reconcile(state: PollState, seen: Set<string>): Promise<void> {
    const rows = (await this.ledger.unexported(state.connectionId, 1_000)).filter((r) => !seen.has(r.joorOrderId));
    if (rows.length === 0) return;
    try {
      const { items } = await state.run.clients.joor.listOrders({ ids: rows.map((r) => r.joorOrderId) });
      const byId = new Map(items.map((o) => [o.id, o]));
      const confirmed: string[] = [];
      for (const row of rows) {
        const joorOrder = byId.get(row.joorOrderId);
        if (!joorOrder) continue;
        if (joorOrder.export_status === 'Success') confirmed.push(row.joorOrderId);
        else state.exports.push({ id: row.joorOrderId, export_status: 'Success', export_description: successDescription(row.amcOrderId!) });
      }
      await this.ledger.markExported(state.connectionId, confirmed, new Date());
      await this.flush(state);
    } catch (err) {
      const { permanent, reason } = classifyRunError(err);
      if (permanent) throw err;
      state.run.event({ level: 'warning', entityType: 'order', reason: `Confirming ${rows.length} export status(es) on JOOR failed (${reason}); tried again at the next poll` });
    }
  }
}
