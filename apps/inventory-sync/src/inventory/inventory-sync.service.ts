import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { AmcFilter } from '@app/amc-client';
import { INVENTORY_SYNC, type InventorySyncPayload, type RunJobResult } from '@app/contracts';
import { EntityLinkRepository, LINK_TYPES, RETIRED_HASH_PREFIX, SyncCursorRepository, SyncDueRepository, type EntityLink } from '@app/persistence';
import { chooseMode, deltaSince, parseShape, shapeChanges, describeStyleScope, runOptionsOf, SyncRunner, type RunContext, type RunEnd } from '@app/sync-core';
import { AmcStockReader, type StockPage } from './amc-stock.reader';
import { INVENTORY_SYNC_TUNING, type InventorySyncTuning } from './inventory-sync.tuning';
import { JoorStockWriter } from './joor-stock.writer';

/** The delta cursor: when the last full or delta run that completed started (ISO). */
export const INVENTORY_CURSOR_STREAM = 'amc.inventory';
const SHAPE_STREAM = 'amc.inventory.shape';
/** sync_due kind of SKUs whose stock JOOR did not take. */
const DUE_KIND = 'inventory';

/**
 * One inventory run: the stock of every SKU catalog sync has put on JOOR (its live SKU links: flagged
 * style and SKU, not retired), the connection's stock field in its one AMC warehouse, to its JOOR
 * warehouse, as immediate inventory, only where it changed. Which SKUs a run looks at:
 * - `full` (asked for, the first run, or the warehouse, the field or the JOOR warehouse changed):
 *   every stock row of the warehouse, then the SKUs on JOOR without one (they have none: 0);
 * - `delta`: the stock rows changed since the cursor (with an overlap), the SKUs catalog sync wrote
 *   since (new on JOOR, or changed), and the due ones;
 * - `styles`: the SKUs of the named styles.
 * A SKU not on JOOR yet is not looked at; it comes in with the delta after catalog sync puts it there.
 */
@Injectable()
export class InventorySyncService {
  constructor(
    private readonly runner: SyncRunner,
    private readonly links: EntityLinkRepository,
    private readonly cursors: SyncCursorRepository,
    private readonly due: SyncDueRepository,
    @Inject(INVENTORY_SYNC_TUNING) private readonly tuning: InventorySyncTuning,
  ) {}

  handle(job: Job<InventorySyncPayload, RunJobResult>): Promise<RunJobResult> {
    return this.runner.run(job, runOptionsOf(INVENTORY_SYNC, this.tuning.busyRetryMs, describeStyleScope), (run) => this.sync(run));
  }

  private async sync(run: RunContext<InventorySyncPayload>): Promise<RunEnd> {
    const { connectionId, payload } = run;
    const { amc, joor, settings } = run.clients;
    const startedAt = new Date();
    if (!settings.joorWarehouseName) throw new UnrecoverableError('Stock cannot be sent: the connection names no JOOR warehouse (set joorWarehouseName to a warehouse that exists in JOOR)');
    const shape = { amcWarehouseId: settings.amcWarehouseId, stockField: settings.stockField, joorWarehouseName: settings.joorWarehouseName };
    const cursor = await this.cursors.get(connectionId, INVENTORY_CURSOR_STREAM);
    const previousShape = parseShape(await this.cursors.get(connectionId, SHAPE_STREAM));
    const changes = shapeChanges(previousShape, shape);
    const styleNumbers = payload.styleNumbers?.filter((s) => s.trim()) ?? [];
    const mode = chooseMode({ styleNumbers, full: payload.full ?? false, cursor, previousShape, changes });
    const since = deltaSince(cursor, this.tuning.cursorOverlapMs);
    const dueSkus = mode === 'delta' ? await this.due.due(connectionId, DUE_KIND) : [];
    await run.details({
      mode,
      since: mode === 'delta' ? since : null,
      ...shape,
      source: settings.amcWarehouseId ? `AMC warehouse ${settings.amcWarehouseId}` : 'AMC company-wide totals (no amcWarehouseId set)',
      ...(changes.length ? { shapeChanged: changes } : {}),
      retried: dueSkus.length,
    });

    const reader = new AmcStockReader(amc, settings.amcWarehouseId, settings.stockField);
    const writer = new JoorStockWriter(connectionId, joor, this.links, settings.joorWarehouseName, this.tuning.rowsPerCall, run.event);
    let looked = 0;
    const report = async () => {
      const { counts, due, settled } = writer.take();
      await this.due.record(connectionId, DUE_KIND, due);
      await this.due.clear(connectionId, DUE_KIND, settled);
      const done = counts.created + counts.updated + counts.unchanged + counts.failed;
      looked += done;
      run.count(counts, done);
      await run.flush();
    };
    const noteInvalid = (page: StockPage) => {
      for (const bad of page.invalid) run.event({ level: 'error', entityType: 'stock', entityKey: bad.id, reason: `AMC sent a stock row that cannot be read: ${bad.problems.join('; ')}` });
    };

    if (mode === 'full') {
      const withRow = new Set<string>();
      for await (const page of reader.all()) {
        noteInvalid(page);
        const quantities = new Map(page.rows.map((r) => [r.skuId, r.quantity]));
        for (const id of quantities.keys()) withRow.add(id);
        await writer.consider(await this.liveSkus(connectionId, { baseIds: [...quantities.keys()] }), quantities);
        await report();
      }
      // SKUs on JOOR that the warehouse holds no row of: none in stock there.
      for await (const skus of this.liveSkuPages(connectionId, {})) {
        await writer.consider(
          skus.filter((s) => !withRow.has(s.amcId.split(':')[0])),
          new Map(),
        );
        await report();
      }
    } else if (mode === 'delta') {
      const changed = new Map<string, number>();
      for await (const page of reader.changedSince(since!)) {
        noteInvalid(page);
        for (const row of page.rows) changed.set(row.skuId, row.quantity);
      }
      await this.considerAll(writer, reader, connectionId, await this.liveSkus(connectionId, { baseIds: [...changed.keys()] }), changed, report, noteInvalid);
      // New on JOOR since the cursor (catalog sync wrote them: a new style, a SKU that got its flag), and the due ones.
      const written = await this.liveSkus(connectionId, { syncedSince: new Date(Date.parse(since!)) });
      const due = await this.liveSkus(connectionId, { keys: dueSkus.map((d) => d.key) });
      const seen = new Set(changed.keys());
      await this.considerAll(
        writer,
        reader,
        connectionId,
        [...written, ...due].filter((s) => !seen.has(s.amcId.split(':')[0])),
        null,
        report,
        noteInvalid,
      );
    } else {
      const productIds = await this.productIdsOf(amc, styleNumbers);
      await this.considerAll(writer, reader, connectionId, await this.liveSkus(connectionId, { parents: productIds }), null, report, noteInvalid);
    }
    await writer.drain();
    await report();
    await run.setTotal(looked);

    if (mode !== 'styles') {
      await this.cursors.set(connectionId, INVENTORY_CURSOR_STREAM, startedAt.toISOString());
      await this.cursors.set(connectionId, SHAPE_STREAM, JSON.stringify(shape));
    }
    const stillDue = await this.due.count(connectionId, DUE_KIND);
    if (stillDue > 0 || dueSkus.length > 0) await run.details({ due: stillDue });
  }

  /** SKUs on JOOR with their quantities: given, or read from AMC for them (a SKU without a row has 0). */
  private async considerAll(
    writer: JoorStockWriter,
    reader: AmcStockReader,
    connectionId: string,
    skus: EntityLink[],
    quantities: Map<string, number> | null,
    report: () => Promise<void>,
    noteInvalid: (page: StockPage) => void,
  ): Promise<void> {
    const unique = [...new Map(skus.map((s) => [s.amcId, s])).values()];
    for (let i = 0; i < unique.length; i += this.tuning.rowsPerCall) {
      const part = unique.slice(i, i + this.tuning.rowsPerCall);
      let known = quantities;
      if (!known) {
        const page = await reader.forSkus([...new Set(part.map((s) => s.amcId.split(':')[0]))]);
        noteInvalid(page);
        known = new Map(page.rows.map((r) => [r.skuId, r.quantity]));
      }
      await writer.consider(part, known);
      await report();
    }
  }

  /** Live SKU links (on JOOR, not retired), all of them for the filter. */
  private async liveSkus(connectionId: string, filter: { baseIds?: string[]; parents?: string[]; keys?: string[]; syncedSince?: Date }): Promise<EntityLink[]> {
    if ((filter.baseIds && filter.baseIds.length === 0) || (filter.parents && filter.parents.length === 0) || (filter.keys && filter.keys.length === 0)) return [];
    // A SKU's link key is its AMC id, or `<id>:cw` under a colorway's own product (see skuLinkKey): either may be live.
    const keys = filter.keys ?? filter.baseIds?.flatMap((id) => [id, `${id}:cw`]);
    const out: EntityLink[] = [];
    for await (const page of this.liveSkuPages(connectionId, { keys, parents: filter.parents, syncedSince: filter.syncedSince })) out.push(...page);
    return out;
  }

  private async *liveSkuPages(connectionId: string, filter: { keys?: string[]; parents?: string[]; syncedSince?: Date }): AsyncGenerator<EntityLink[]> {
    for (let afterKey: string | null = null; ;) {
      const page = await this.links.pageLive(connectionId, LINK_TYPES.sku, { ...filter, afterKey, limit: 1_000, retiredHashPrefix: RETIRED_HASH_PREFIX });
      if (page.length === 0) return;
      yield page;
      afterKey = page[page.length - 1].amcId;
    }
  }

  private async productIdsOf(amc: RunContext<InventorySyncPayload>['clients']['amc'], styleNumbers: string[]): Promise<string[]> {
    const ids: string[] = [];
    const wanted = [...new Set(styleNumbers)];
    for (let i = 0; i < wanted.length; i += 50) {
      const filters: AmcFilter[] = wanted.slice(i, i + 50).map((value, n) => ({ field: 'style_number', operator: '=', value, ...(n > 0 ? { includeType: 'OR' as const } : {}) }));
      ids.push(...(await amc.list('products', { filters, pageSize: 1000 })).records.map((p) => p.product_id));
    }
    return ids;
  }
}
