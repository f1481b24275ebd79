import { JoorApiError, type JoorClient, type JoorInventoryResponse } from '@app/joor-client';
import { mapStock, type InventorySkuIdentity, type JoorInventoryRow } from '@app/mapping';
import { LINK_TYPES, type EntityLink, type EntityLinkRepository, type RunCounts, type RunEventInput } from '@app/persistence';

interface Pending {
  key: string;
  joorSkuId: string;
  row: JoorInventoryRow;
  hash: string;
  /** First time this SKU's stock is sent. */
  first: boolean;
}

/**
 * Bulk-inventory calls JOOR does not answer in a row (after the client's retries) before the run
 * gives up and lets the job retry: one lost call fails only its SKUs (they stay due).
 */
const MAX_UNANSWERED_CALLS = 3;

/**
 * Sends the stock of SKUs on JOOR through v2 bulk-inventory, only where it changed (a hash per SKU
 * of the row last sent, in entity_link `inventory`), in calls filled up to `batchMax` rows.
 *
 * Never in overwrite mode: JOOR's `overwrite=1` zeroes every SKU of a style the call leaves out, so a
 * partial feed (a delta, a SKU that failed, a style cut across two calls) would zero a brand's stock.
 * With `overwrite=0` each row sets one SKU and the others keep theirs.
 */
export class JoorStockWriter {
  private readonly pending: Pending[] = [];
  private unanswered = 0;
  readonly counts: Required<RunCounts> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  /** SKU keys that failed (JOOR refused or did not answer): due for the next run. */
  readonly due: Array<{ key: string; reason: string }> = [];
  /** SKU keys that went through or were unchanged: no longer due. */
  readonly settled: string[] = [];

  constructor(
    private readonly connectionId: string,
    private readonly joor: JoorClient,
    private readonly links: EntityLinkRepository,
    private readonly joorWarehouse: string,
    private readonly batchMax: number,
    private readonly event: (event: RunEventInput) => void,
  ) {}

  /** SKUs on JOOR (their catalog links) and their quantities; a SKU without one has none (0). */
  async consider(skus: EntityLink[], quantities: ReadonlyMap<string, number>): Promise<void> {
    if (skus.length === 0) return;
    const sent = await this.links.find(
      this.connectionId,
      LINK_TYPES.inventory,
      skus.map((s) => s.amcId),
    );
    for (const sku of skus) {
      const quantity = quantities.get(sku.amcId.split(':')[0]) ?? 0;
      const mapped = mapStock(sku.amcId, sku.meta as InventorySkuIdentity | null, quantity, this.joorWarehouse);
      if (!mapped.ok) {
        this.counts.failed++;
        this.event({ level: 'error', entityType: 'sku', entityKey: sku.amcId, reason: mapped.problem });
        continue;
      }
      const last = sent.get(sku.amcId);
      if (last?.payloadHash === mapped.hash) {
        this.counts.unchanged++;
        this.settled.push(sku.amcId);
        continue;
      }
      if (mapped.warning) this.event({ level: 'warning', entityType: 'sku', entityKey: sku.amcId, reason: mapped.warning });
      this.pending.push({ key: sku.amcId, joorSkuId: sku.joorId!, row: mapped.row, hash: mapped.hash, first: !last });
      if (this.pending.length >= this.batchMax) await this.send(this.pending.splice(0, this.batchMax));
    }
  }

  /** Sends what waits (a last, partial call). */
  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.send(this.pending.splice(0, this.batchMax));
  }

  private async send(batch: Pending[]): Promise<void> {
    let responses: JoorInventoryResponse[];
    try {
      responses = await this.joor.bulkInventory(
        batch.map((p) => p.row),
        { overwrite: false },
      );
      this.unanswered = 0;
    } catch (err) {
      if (!(err instanceof JoorApiError)) throw err;
      const refused = !err.transient && err.httpStatus !== null && err.httpStatus >= 400 && err.httpStatus < 500 && ![401, 403, 429].includes(err.httpStatus);
      if (!err.transient && !refused) throw err;
      if (err.transient && ++this.unanswered >= MAX_UNANSWERED_CALLS) throw err;
      const reason = refused ? `JOOR refused the stock of ${batch.length} SKU(s) (${err.message})` : `JOOR did not answer the stock call after retries (${err.message})`;
      this.event({ level: 'error', entityType: 'inventory', reason: `${reason}; they are tried again at the next run`, details: { skus: batch.length, warehouse: this.joorWarehouse } });
      this.fail(batch, reason);
      return;
    }
    const log = responses.flatMap((r) => r.inventory_log);
    const taken: Pending[] = [];
    batch.forEach((item, index) => {
      const entry = log.length === batch.length ? log[index] : log.find((l) => l.sku === labelOf(item.row));
      const status = entry?.status ?? 'no answer for this SKU';
      if (/^success/i.test(status)) taken.push(item);
      else {
        const reason = `JOOR refused the stock of SKU ${item.key} (${labelOf(item.row)}): ${status}`;
        this.event({ level: 'error', entityType: 'sku', entityKey: item.key, reason });
        this.fail([item], reason);
      }
    });
    await this.links.upsert(
      this.connectionId,
      LINK_TYPES.inventory,
      taken.map((item) => ({ amcId: item.key, joorId: item.joorSkuId, payloadHash: item.hash, parentKey: item.key })),
    );
    for (const item of taken) {
      if (item.first) this.counts.created++;
      else this.counts.updated++;
      this.settled.push(item.key);
    }
  }

  private fail(items: Pending[], reason: string): void {
    this.counts.failed += items.length;
    for (const item of items) this.due.push({ key: item.key, reason });
  }

  /** What the counts and settled lists hold since the last take. */
  take(): { counts: Required<RunCounts>; due: Array<{ key: string; reason: string }>; settled: string[] } {
    const out = { counts: { ...this.counts }, due: this.due.splice(0, this.due.length), settled: this.settled.splice(0, this.settled.length) };
    this.counts.created = this.counts.updated = this.counts.unchanged = this.counts.failed = 0;
    return out;
  }
}

/** How JOOR's inventory log names a row: its UPC, else style / color / size. */
function labelOf(row: JoorInventoryRow): string {
  return row.upc ?? [row.style_identifier ?? row.style_number, row.color_code, row.size].join('/');
}
