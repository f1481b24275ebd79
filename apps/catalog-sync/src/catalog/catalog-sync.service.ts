import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AmcApiError, type AmcClient, type AmcCurrency, type AmcFilter, type AmcProduct, type AmcProductAttribute, type AmcSku } from '@app/amc-client';
import type { CatalogSyncPayload, ConnectionSettings, RunJobResult, RunStatus } from '@app/contracts';
import { JoorApiError, type JoorClient } from '@app/joor-client';
import { mapSeasonCollection, mapStyle, resolveSkuTraits, type CatalogContext } from '@app/mapping';
import { EntityLinkRepository } from '@app/persistence';
import { SyncCursorRepository } from '@app/persistence';
import { SyncDueRepository } from '@app/persistence';
import { ConnectionClients, ConnectionNotFoundError, SyncRunRepository } from '@app/sync-core';
import { CatalogWriter, LINK } from './catalog-writer';
import { CATALOG_SYNC_TUNING, type CatalogSyncTuning } from './catalog-sync.tuning';

const CURSOR_STREAM = 'amc.catalog';
/** What every style's mapping depends on (rates, currencies, traits, price types, colorway mode): a change re-reads every style. */
const SHAPE_STREAM = 'amc.catalog.shape';
/** sync_due kind of styles JOOR did not take. */
const DUE_KIND = 'styles';

type Mode = 'full' | 'delta' | 'styles';

/** The credits a run has taken from the JOOR budget (ConnectionContext.meter), and how many are on the run record. */
class RunCounter {
  credits = 0;
  reported = 0;
  meter: { take(): number } | null = null;
}

/**
 * One catalog run: AMC styles (flagged at product and SKU level) to JOOR products, SKUs, prices
 * and season linesheets. Reads AMC a page of styles at a time and writes JOOR through bulk
 * queues filled to JOOR's maximum; hashes make unchanged entities free. One run per connection
 * at a time (a PostgreSQL advisory lock).
 */
@Injectable()
export class CatalogSyncService {
  private readonly logger = new Logger(CatalogSyncService.name);

  constructor(
    private readonly clients: ConnectionClients,
    private readonly recorder: SyncRunRepository,
    private readonly links: EntityLinkRepository,
    private readonly cursors: SyncCursorRepository,
    private readonly due: SyncDueRepository,
    private readonly dataSource: DataSource,
    @Inject(CATALOG_SYNC_TUNING) private readonly tuning: CatalogSyncTuning,
  ) {}

  async handle(job: Job<CatalogSyncPayload, RunJobResult>): Promise<RunJobResult> {
    const { connectionId } = job.data;
    let runId = job.data.runId;
    if (!runId) {
      const run = await this.recorder.queue(connectionId, 'styles', job.data.trigger ?? 'schedule', { full: job.data.full ?? false, styleNumbers: job.data.styleNumbers ?? null });
      runId = run.id;
      await job.updateData({ ...job.data, runId });
      if (job.id) await this.recorder.setJobId(runId, job.id);
    }

    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = await lock.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [`catalog-sync:${connectionId}`]);
      if (!locked) return await this.busy(job, runId);
      try {
        return await this.attempt(job, runId);
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`catalog-sync:${connectionId}`]).catch(() => undefined);
      }
    } finally {
      await lock.release();
    }
  }

  /**
   * Another catalog run of this connection holds the lock. A scheduled delta is skipped (the next
   * one comes soon and the running one covers its changes); a manual run waits its turn.
   */
  private async busy(job: Job<CatalogSyncPayload, RunJobResult>, runId: string): Promise<RunJobResult> {
    const reason = 'another catalog run of this connection is in progress';
    if ((job.data.trigger ?? 'schedule') === 'schedule') {
      await this.recorder.event(runId, job.data.connectionId, { level: 'info', reason: `skipped: ${reason}` });
      await this.recorder.mergeDetails(runId, { skipped: reason });
      await this.recorder.finish(runId, 'succeeded');
      return { runId, status: 'succeeded' };
    }
    await this.recorder.mergeDetails(runId, { waiting: reason });
    await job.moveToDelayed(Date.now() + this.tuning.busyRetryMs, job.token);
    throw new DelayedError();
  }

  private async attempt(job: Job<CatalogSyncPayload, RunJobResult>, runId: string): Promise<RunJobResult> {
    const { connectionId } = job.data;
    const counter = new RunCounter();
    const flushCredits = async () => {
      counter.credits += counter.meter?.take() ?? 0;
      const credits = counter.credits - counter.reported;
      counter.reported = counter.credits;
      if (credits > 0) await this.recorder.add(runId, {}, credits);
    };
    try {
      await this.recorder.start(runId);
      await this.dataSource.query(
        `UPDATE sync_run SET progress_done = 0, progress_total = NULL, count_created = 0, count_updated = 0, count_unchanged = 0, count_failed = 0 WHERE id = $1`,
        [runId],
      );
      const ctx = await this.clients.forConnection(connectionId, 'catalog');
      counter.meter = ctx.meter;
      const status = await this.sync(job, runId, ctx.amc, ctx.joor, ctx.settings, counter, flushCredits);
      await flushCredits();
      await this.recorder.finish(runId, status);
      return { runId, status };
    } catch (err) {
      await flushCredits().catch(() => undefined);
      const permanent = isPermanent(err);
      const attempts = job.opts.attempts ?? 1;
      const last = permanent || job.attemptsMade + 1 >= attempts;
      const reason = failureReason(err);
      if (last) {
        await this.recorder.finish(runId, 'failed', reason).catch(() => undefined);
        this.logger.warn({ msg: 'catalog run failed', runId, connectionId, reason });
        if (permanent) {
          const unrecoverable = new UnrecoverableError(reason);
          (unrecoverable as Error & { cause?: unknown }).cause = err;
          throw unrecoverable;
        }
      } else {
        await this.dataSource
          .query(`UPDATE sync_run SET status = 'queued', error = $2 WHERE id = $1`, [runId, `attempt ${job.attemptsMade + 1} of ${attempts} failed, will retry: ${reason}`.slice(0, 2000)])
          .catch(() => undefined);
      }
      throw err;
    }
  }

  private async sync(
    job: Job<CatalogSyncPayload, RunJobResult>,
    runId: string,
    amc: AmcClient,
    joor: JoorClient,
    settings: Pick<ConnectionSettings, 'defaultCurrency' | 'syncColorwaysAsProducts' | 'joorColorTrait' | 'joorSizeTrait'>,
    counter: RunCounter,
    flushCredits: () => Promise<void>,
  ): Promise<Extract<RunStatus, 'succeeded' | 'partial'>> {
    const { connectionId } = job.data;
    const startedAt = new Date();

    // Reference data: AMC's is free of JOOR credits; JOOR's costs 3 GETs a run.
    const currencies = (await amc.list('currencies')).records;
    const sizeRanges = (await amc.list('size_ranges')).records;
    const priceTypes = (await joor.priceTypes()).items;
    const seasons = (await joor.seasons()).items;
    const traits = resolveSkuTraits((await joor.traits()).items, { color: settings.joorColorTrait, size: settings.joorSizeTrait });
    if (!traits.ok) throw new UnrecoverableError(`SKUs cannot be sent: ${traits.problem}`);
    const base = currencies.find((c) => c.is_default === '1')?.name ?? null;
    const defaultCurrency = (settings.defaultCurrency ?? base ?? 'USD').toUpperCase();
    const context: CatalogContext = {
      currencies: new Map(currencies.map((c) => [c.id, c])),
      defaultCurrency,
      priceTypes: priceTypes.map((t) => ({ id: t.id, name: t.name, currency_code: t.currency_code })),
      sizeRanges: new Map(sizeRanges.map((r) => [r.id, r.sizes])),
      traitIds: { color: traits.color, size: traits.size },
      colorwaysAsProducts: settings.syncColorwaysAsProducts,
    };
    const rates = ratesOf(currencies);
    const shape = { rates, baseCurrency: base, defaultCurrency, colorwaysAsProducts: context.colorwaysAsProducts, traitIds: context.traitIds, priceTypes: context.priceTypes };
    const cursor = await this.cursors.get(connectionId, CURSOR_STREAM);
    const previousShape = parseShape(await this.cursors.get(connectionId, SHAPE_STREAM));
    const shapeChanges = previousShape ? Object.keys(shape).filter((k) => JSON.stringify(previousShape[k]) !== JSON.stringify(shape[k as keyof typeof shape])) : [];
    const styleNumbers = job.data.styleNumbers?.filter((s) => s.trim()) ?? [];
    // A new rate, price type or colorway mode changes styles AMC did not touch: read them all (hashes keep the rest free).
    const mode: Mode = styleNumbers.length ? 'styles' : job.data.full || !cursor || !previousShape || shapeChanges.length > 0 ? 'full' : 'delta';
    const since = cursor ? new Date(Date.parse(cursor) - this.tuning.cursorOverlapMs).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
    const dueStyles = mode === 'styles' ? [] : await this.due.due(connectionId, DUE_KIND);
    await this.recorder.mergeDetails(runId, {
      mode,
      since: mode === 'delta' ? since : null,
      defaultCurrency,
      baseCurrency: base,
      rates,
      traits: context.traitIds,
      ...(cursor && shapeChanges.length ? { shapeChanged: shapeChanges } : {}),
      ...(shapeChanges.includes('rates') ? { ratesChanged: true } : {}),
      retried: dueStyles.length,
    });

    const writer = new CatalogWriter(connectionId, joor, this.links, this.tuning.bulkMax);
    let total: number | null = null;
    let read = 0;
    let analyzedAt = 0;
    const seen = new Set<string>();
    const report = async () => {
      const settled = writer.tracker.takeSettled();
      await this.due.record(connectionId, DUE_KIND, settled.due);
      await this.due.clear(connectionId, DUE_KIND, settled.clear);
      const counts = writer.tracker.take();
      await this.recorder.add(runId, counts, 0, counts.done);
      await this.recorder.events(runId, connectionId, writer.takeEvents());
      await flushCredits();
      const run = await this.recorder.find(runId);
      await job.updateProgress({ done: run?.progressDone ?? 0, total: run?.progressTotal ?? total, credits: run?.creditsSpent ?? counter.credits });
    };

    for await (const page of this.productPages(amc, mode, since, styleNumbers, dueStyles.map((d) => d.key))) {
      for (const product of page.records) seen.add(product.product_id);
      if (page.total !== null && total === null) {
        total = page.total;
        await this.recorder.setTotal(runId, total);
      }
      for (const bad of page.invalid) {
        writer.failStyle(bad.id, [`AMC sent a record that cannot be read: ${bad.problems.join('; ')}`]);
      }
      await this.processStyles(connectionId, amc, writer, context, page.records);
      read += page.records.length + page.invalid.length;
      // Geometric (20k, 40k, 80k ... links): a handful of ANALYZEs however large the catalog.
      if (writer.linksWritten >= Math.max(this.tuning.analyzeEveryLinks, analyzedAt * 2)) {
        analyzedAt = writer.linksWritten;
        await this.links.refreshStatistics();
      }
      await report();
    }
    await writer.drain();
    if (total === null || total !== read) await this.recorder.setTotal(runId, read);
    await report();

    await this.syncCollections(connectionId, joor, seasons, writer);
    await report();

    // A due style AMC no longer has is nothing to retry.
    await this.due.clear(connectionId, DUE_KIND, dueStyles.map((d) => d.key).filter((key) => !seen.has(key)));
    if (mode !== 'styles') {
      await this.cursors.set(connectionId, CURSOR_STREAM, startedAt.toISOString());
      await this.cursors.set(connectionId, SHAPE_STREAM, JSON.stringify(shape));
    }
    const stillDue = await this.due.count(connectionId, DUE_KIND);
    if (stillDue > 0 || dueStyles.length > 0) await this.recorder.mergeDetails(runId, { due: stillDue });
    const run = await this.recorder.find(runId);
    const errors: Array<{ n: string }> = await this.dataSource.query(`SELECT count(*)::text AS n FROM sync_event WHERE run_id = $1 AND level = 'error'`, [runId]);
    return (run?.countFailed ?? 0) > 0 || Number(errors[0]?.n ?? 0) > 0 ? 'partial' : 'succeeded';
  }

  private async processStyles(connectionId: string, amc: AmcClient, writer: CatalogWriter, context: CatalogContext, products: AmcProduct[]): Promise<void> {
    if (products.length === 0) return;
    const ids = products.map((p) => p.product_id);
    const [skus, colorways, skuLinks, productLinks] = await Promise.all([
      this.byProductIds(amc, 'inventory', ids),
      this.byProductIds(amc, 'product_attributes', ids),
      this.links.findByParents(connectionId, LINK.sku, ids),
      this.links.findByStyles(connectionId, LINK.product, ids),
    ]);
    const skusOf = groupBy(skus, (s) => s.product_id);
    const colorwaysOf = groupBy(colorways, (c) => c.product_id);
    const skuLinksOf = groupBy(skuLinks, (l) => l.parentKey!);
    const productLinksOf = groupBy(productLinks, (l) => l.amcId.split(':')[0]);
    const mappedStyles = products.map((product) => mapStyle({ product, colorways: colorwaysOf.get(product.product_id) ?? [], skus: skusOf.get(product.product_id) ?? [] }, context));
    const good = mappedStyles.flatMap((m) => (m.kind === 'synced' ? m.products : []));
    writer.nextPage();
    await writer.prefetch(LINK.product, good.map((p) => p.key));
    await writer.prefetch(LINK.sku, good.flatMap((p) => p.skus.map((s) => s.key)));
    await writer.prefetch(LINK.price, good.flatMap((p) => p.skus.flatMap((s) => s.prices.map((x) => x.key))));
    for (const mapped of mappedStyles) {
      if (mapped.kind === 'failed') writer.failStyle(mapped.productId, mapped.reasons);
      else if (mapped.kind === 'unflagged') await writer.unflagged(mapped.productId);
      else {
        for (const w of mapped.warnings) writer.events.push({ level: 'warning', entityType: w.entityType, entityKey: w.entityKey, reason: w.reason });
        for (const f of mapped.skuFailures) writer.events.push({ level: 'error', entityType: f.entityType, entityKey: f.entityKey, reason: f.reason });
        await writer.style(mapped.productId, mapped.season, mapped.products);
        // What JOOR has of the style that the style no longer holds (SKUs unflagged or gone, the other colorway mode's products).
        const keep = new Set([...mapped.products.flatMap((p) => p.skus.map((s) => s.key)), ...mapped.skuFailures.map((f) => f.entityKey)]);
        const productKeys = new Set(mapped.products.map((p) => p.key));
        await writer.retire(
          mapped.productId,
          (skuLinksOf.get(mapped.productId) ?? []).filter((l) => !keep.has(l.amcId)),
          (productLinksOf.get(mapped.productId) ?? []).filter((l) => !productKeys.has(l.amcId) && l.parentKey !== null).map((l) => l.amcId),
        );
      }
    }
  }

  /** The styles to look at, a page at a time: all of them, those changed since the cursor, or the named ones. */
  private async *productPages(amc: AmcClient, mode: Mode, since: string | null, styleNumbers: string[], due: string[]): AsyncGenerator<{ records: AmcProduct[]; invalid: Array<{ id: string; problems: string[] }>; total: number | null }> {
    const invalidOf = (page: { invalid: Array<{ id: string | null; problems: string[] }> }) => page.invalid.map((i) => ({ id: i.id ?? 'unknown', problems: i.problems }));
    if (mode === 'full') {
      for await (const page of amc.pages('products', { pageSize: this.tuning.stylesPerPage })) yield { records: page.records, invalid: invalidOf(page), total: page.totalRecords };
      return;
    }
    if (mode === 'styles') {
      const wanted = [...new Set(styleNumbers)];
      yield* this.productsByField(amc, 'style_number', wanted, wanted.length);
      return;
    }
    // Delta: a style changed itself, or one of its SKUs or colorways did (a SKU's SYNC flag lives on the SKU), or it is due.
    const ids = new Set<string>(due);
    for (const resource of ['products', 'inventory', 'product_attributes'] as const) {
      for await (const page of amc.pagesModifiedSince(resource, since!, { pageSize: 1000 })) for (const r of page.records) ids.add(r.product_id);
    }
    yield* this.productsByField(amc, 'product_id', [...ids].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })), ids.size);
  }

  private async *productsByField(amc: AmcClient, field: string, values: string[], total: number) {
    for (let i = 0; i < values.length; i += this.tuning.stylesPerPage) {
      const part = values.slice(i, i + this.tuning.stylesPerPage);
      const records: AmcProduct[] = [];
      const invalid: Array<{ id: string; problems: string[] }> = [];
      for (const filters of orFilters(field, part, this.tuning.idsPerAmcQuery)) {
        const listed = await amc.list('products', { filters, pageSize: 1000 });
        records.push(...listed.records);
        invalid.push(...listed.invalid.map((x) => ({ id: x.id ?? 'unknown', problems: x.problems })));
      }
      yield { records, invalid, total: i === 0 ? total : null };
    }
  }

  private byProductIds(amc: AmcClient, resource: 'inventory', ids: string[]): Promise<AmcSku[]>;
  private byProductIds(amc: AmcClient, resource: 'product_attributes', ids: string[]): Promise<AmcProductAttribute[]>;
  private async byProductIds(amc: AmcClient, resource: 'inventory' | 'product_attributes', ids: string[]): Promise<Array<AmcSku | AmcProductAttribute>> {
    const out: Array<AmcSku | AmcProductAttribute> = [];
    for (const filters of orFilters('product_id', ids, this.tuning.idsPerAmcQuery)) out.push(...(await amc.list(resource, { filters, pageSize: 1000 })).records);
    return out;
  }

  /**
   * One linesheet per AMC season with the season's synced products, rebuilt from the links (no
   * JOOR reads). Only linesheets this integration made are ever written; one whose season emptied
   * is kept, empty.
   */
  private async syncCollections(connectionId: string, joor: JoorClient, seasons: Array<{ id: string; name: string; code: string | null }>, writer: CatalogWriter): Promise<void> {
    const members = await this.links.listWithParent(connectionId, LINK.product);
    const bySeason = new Map<string, string[]>();
    for (const link of members) bySeason.set(link.parentKey!, [...(bySeason.get(link.parentKey!) ?? []), link.joorId!]);
    const existing = await this.links.listWithParent(connectionId, LINK.collection);
    for (const link of existing) if (!bySeason.has(link.amcId)) bySeason.set(link.amcId, []);
    const links = new Map(existing.map((l) => [l.amcId, l]));
    const joorSeasons = new Map(seasons.filter((s) => s.code).map((s) => [s.code!.toLowerCase(), s]));
    const creates: Array<ReturnType<typeof mapSeasonCollection>> = [];
    const updates: Array<ReturnType<typeof mapSeasonCollection> & { id: string }> = [];
    for (const [season, productIds] of [...bySeason.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const mapped = mapSeasonCollection(season, productIds, joorSeasons.get(season.toLowerCase()));
      const link = links.get(season);
      if (!link?.joorId) {
        if (productIds.length) creates.push(mapped);
      } else if (link.payloadHash !== mapped.hash) updates.push({ ...mapped, id: link.joorId });
    }
    const record = async <T extends { season: string; hash: string }>(items: T[], result: Awaited<ReturnType<JoorClient['createCollections']>>, verb: string) => {
      await this.links.upsert(
        connectionId,
        LINK.collection,
        result.ok.map((ok) => ({ amcId: items[ok.index].season, joorId: ok.id, payloadHash: ok.duplicated ? null : items[ok.index].hash, parentKey: 'season' })),
      );
      for (const failed of result.failed) {
        writer.events.push({ level: 'error', entityType: 'collection', entityKey: items[failed.index].season, reason: `JOOR refused to ${verb} the linesheet of season ${items[failed.index].season}: ${failed.message || failed.status}` });
      }
      return result.ok.filter((ok) => ok.duplicated).map((ok) => ({ ...items[ok.index], id: ok.id }));
    };
    if (creates.length) {
      const duplicated = await record(creates, await joor.createCollections(creates.map((c) => c.payload)), 'create');
      updates.push(...duplicated);
    }
    if (updates.length) await record(updates, (await joor.updateCollections(updates.map((u) => ({ ...u.payload, id: u.id })))) as never, 'update');
  }
}

function parseShape(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function ratesOf(currencies: AmcCurrency[]): Record<string, string> {
  return Object.fromEntries([...currencies].sort((a, b) => a.name.localeCompare(b.name)).map((c) => [c.name, c.rate]));
}

/** `field = v1 OR field = v2 ...`, cut so a query string stays a few kB. */
function orFilters(field: string, values: string[], perQuery: number): AmcFilter[][] {
  const out: AmcFilter[][] = [];
  for (let i = 0; i < values.length; i += perQuery) {
    out.push(values.slice(i, i + perQuery).map((value, j) => ({ field, operator: '=', value, ...(j > 0 ? { includeType: 'OR' as const } : {}) })));
  }
  return out;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function isPermanent(err: unknown): boolean {
  if (err instanceof UnrecoverableError || err instanceof ConnectionNotFoundError) return true;
  if (err instanceof AmcApiError) return !err.retryable;
  if (err instanceof JoorApiError) return !err.transient;
  return false;
}

function failureReason(err: unknown): string {
  if (err instanceof AmcApiError) return `AMC: ${err.message}`;
  if (err instanceof JoorApiError) return `JOOR: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
