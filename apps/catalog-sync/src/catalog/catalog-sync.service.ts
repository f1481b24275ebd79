import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { AmcProduct } from '@app/amc-client';
import { CATALOG_SYNC, INVENTORY_SYNC_JOB, MEDIA_SYNC_JOB, type CatalogSyncPayload, type RunJobResult } from '@app/contracts';
import { mapStyle, resolveSkuTraits, type CatalogContext } from '@app/mapping';
import { EntityLinkRepository, SyncCursorRepository, SyncDueRepository } from '@app/persistence';
import { chooseMode, deltaSince, FollowUps, parseShape, shapeChanges, describeStyleScope, runOptionsOf, SyncRunner, type RunContext, type RunEnd } from '@app/sync-core';
import { AmcCatalogReader, type StylePage } from './amc-catalog.reader';
import { ratesOf, type CatalogShape } from './catalog-plan';
import { CATALOG_SYNC_TUNING, type CatalogSyncTuning } from './catalog-sync.tuning';
import { CatalogWriter, LINK } from './catalog-writer';
import { LinesheetWriter } from './linesheet-writer';

const CURSOR_STREAM = 'amc.catalog';
const SHAPE_STREAM = 'amc.catalog.shape';
/** sync_due kind of styles JOOR did not take. */
const DUE_KIND = 'styles';

/**
 * One catalog run: AMC styles (flagged at product and SKU level) to JOOR products, SKUs, prices
 * and season linesheets. The runner owns the run's life; this decides which styles to read, reads
 * them a page at a time (AmcCatalogReader), maps them (libs/mapping) and hands them to the JOOR
 * writer (CatalogWriter), then the linesheets (LinesheetWriter), the cursor and the due styles.
 */
@Injectable()
export class CatalogSyncService {
  constructor(
    private readonly runner: SyncRunner,
    private readonly links: EntityLinkRepository,
    private readonly cursors: SyncCursorRepository,
    private readonly due: SyncDueRepository,
    private readonly followUps: FollowUps,
    @Inject(CATALOG_SYNC_TUNING) private readonly tuning: CatalogSyncTuning,
  ) {}

  handle(job: Job<CatalogSyncPayload, RunJobResult>): Promise<RunJobResult> {
    return this.runner.run(job, runOptionsOf(CATALOG_SYNC, this.tuning.busyRetryMs, describeStyleScope), (run) => this.sync(run));
  }

  private async sync(run: RunContext<CatalogSyncPayload>): Promise<RunEnd> {
    const { connectionId, payload } = run;
    const { amc, joor, settings } = run.clients;
    const startedAt = new Date();

    // Reference data: AMC's is free of JOOR credits; JOOR's costs 3 GETs a run.
    const reader = new AmcCatalogReader(amc, this.tuning);
    const { currencies, sizeRanges } = await reader.reference();
    const priceTypes = (await joor.priceTypes()).items;
    const seasons = (await joor.seasons()).items;
    const traits = resolveSkuTraits((await joor.traits()).items, { color: settings.joorColorTrait, size: settings.joorSizeTrait });
    if (!traits.ok) throw new UnrecoverableError(`SKUs cannot be sent: ${traits.problem}`);
    const base = currencies.find((c) => c.is_default === '1')?.name ?? null;
    const context: CatalogContext = {
      currencies: new Map(currencies.map((c) => [c.id, c])),
      defaultCurrency: (settings.defaultCurrency ?? base ?? 'USD').toUpperCase(),
      priceTypes: priceTypes.map((t) => ({ id: t.id, name: t.name, currency_code: t.currency_code })),
      sizeRanges: new Map(sizeRanges.map((r) => [r.id, r.sizes])),
      traitIds: { color: traits.color, size: traits.size },
      colorwaysAsProducts: settings.syncColorwaysAsProducts,
    };

    const shape: CatalogShape = {
      rates: ratesOf(currencies),
      baseCurrency: base,
      defaultCurrency: context.defaultCurrency,
      colorwaysAsProducts: context.colorwaysAsProducts,
      traitIds: context.traitIds,
      priceTypes: context.priceTypes,
    };
    const cursor = await this.cursors.get(connectionId, CURSOR_STREAM);
    const previousShape = parseShape(await this.cursors.get(connectionId, SHAPE_STREAM));
    const changes = shapeChanges(previousShape, shape);
    const styleNumbers = payload.styleNumbers?.filter((s) => s.trim()) ?? [];
    const mode = chooseMode({ styleNumbers, full: payload.full ?? false, cursor, previousShape, changes });
    const since = deltaSince(cursor, this.tuning.cursorOverlapMs);
    const dueStyles = mode === 'styles' ? [] : await this.due.due(connectionId, DUE_KIND);
    await run.details({
      mode,
      since: mode === 'delta' ? since : null,
      defaultCurrency: context.defaultCurrency,
      baseCurrency: base,
      rates: shape.rates,
      traits: context.traitIds,
      ...(changes.length ? { shapeChanged: changes } : {}),
      ...(changes.includes('rates') ? { ratesChanged: true } : {}),
      retried: dueStyles.length,
    });

    const writer = new CatalogWriter(connectionId, joor, this.links, this.tuning.bulkMax, run.event);
    const seen = new Set<string>();
    let skusFollowedUp = 0;
    let stylesRead = 0;
    let mediaFollowedUp = '';
    const report = async () => {
      const settled = writer.tracker.takeSettled();
      await this.due.record(connectionId, DUE_KIND, settled.due);
      await this.due.clear(connectionId, DUE_KIND, settled.clear);
      const { done, ...counts } = writer.tracker.take();
      run.count(counts, done);
      await run.flush();
      // The stock of the SKUs JOOR took follows them ("inventory automatically updates when style data is updated").
      if (writer.skusWritten > skusFollowedUp) {
        skusFollowedUp = writer.skusWritten;
        await this.followUps.request(INVENTORY_SYNC_JOB, connectionId, run.runId);
      }
      // Images follow the styles read ("images automatically update when your style data updates"): a
      // changed image does not change what catalog sends, so any synced style read asks, and again as
      // its products and SKUs land on JOOR (media-sync looks only at styles that are there); its hashes
      // make an unchanged image cost nothing.
      const mediaProgress = `${stylesRead}/${writer.linksWritten}`;
      if (settings.syncImages && stylesRead > 0 && mediaProgress !== mediaFollowedUp) {
        mediaFollowedUp = mediaProgress;
        await this.followUps.request(MEDIA_SYNC_JOB, connectionId, run.runId);
      }
    };
    let total: number | null = null;
    let read = 0;
    let analyzedAt = 0;
    for await (const page of reader.pages(
      mode,
      since,
      styleNumbers,
      dueStyles.map((d) => d.key),
    )) {
      if (page.total !== null && total === null) await run.setTotal((total = page.total));
      for (const product of page.records) seen.add(product.product_id);
      stylesRead += await this.processPage(connectionId, reader, writer, context, page);
      read += page.records.length + page.invalid.length;
      // Geometric (20k, 40k, 80k ... links): a handful of ANALYZEs however large the catalog.
      if (writer.linksWritten >= Math.max(this.tuning.analyzeEveryLinks, analyzedAt * 2)) {
        analyzedAt = writer.linksWritten;
        await this.links.refreshStatistics();
      }
      await report();
    }
    await writer.drain();
    if (total !== read) await run.setTotal(read);
    await report();

    await new LinesheetWriter(connectionId, joor, this.links, run.event).sync(seasons);
    await report();

    // A due style AMC no longer has is nothing to retry.
    await this.due.clear(
      connectionId,
      DUE_KIND,
      dueStyles.map((d) => d.key).filter((key) => !seen.has(key)),
    );
    if (mode !== 'styles') {
      await this.cursors.set(connectionId, CURSOR_STREAM, startedAt.toISOString());
      await this.cursors.set(connectionId, SHAPE_STREAM, JSON.stringify(shape));
    }
    const stillDue = await this.due.count(connectionId, DUE_KIND);
    if (stillDue > 0 || dueStyles.length > 0) await run.details({ due: stillDue });
  }

  /** One page of styles: their SKUs, colorways and links, the mapper, then the writes (and what JOOR has of them that they no longer hold). Answers how many synced styles it held. */
  private async processPage(connectionId: string, reader: AmcCatalogReader, writer: CatalogWriter, context: CatalogContext, page: StylePage): Promise<number> {
    for (const bad of page.invalid) writer.failStyle(bad.id, [`AMC sent a record that cannot be read: ${bad.problems.join('; ')}`]);
    const products: AmcProduct[] = page.records;
    if (products.length === 0) return 0;
    const ids = products.map((p) => p.product_id);
    const [{ skus, colorways }, skuLinks, productLinks] = await Promise.all([
      reader.parts(ids),
      this.links.findByParents(connectionId, LINK.sku, ids),
      this.links.findByStyles(connectionId, LINK.product, ids),
    ]);
    const skusOf = groupBy(skus, (s) => s.product_id);
    const colorwaysOf = groupBy(colorways, (c) => c.product_id);
    const skuLinksOf = groupBy(skuLinks, (l) => l.parentKey!);
    const productLinksOf = groupBy(productLinks, (l) => l.amcId.split(':')[0]);
    const mappedStyles = products.map((product) => mapStyle({ product, colorways: colorwaysOf.get(product.product_id) ?? [], skus: skusOf.get(product.product_id) ?? [] }, context));
    const good = mappedStyles.flatMap((m) => (m.kind === 'synced' ? m.products : []));
    await writer.nextPage();
    await writer.prefetch(
      LINK.product,
      good.map((p) => p.key),
    );
    await writer.prefetch(
      LINK.sku,
      good.flatMap((p) => p.skus.map((s) => s.key)),
    );
    await writer.prefetch(
      LINK.price,
      good.flatMap((p) => p.skus.flatMap((s) => s.prices.map((x) => x.key))),
    );
    for (const mapped of mappedStyles) {
      if (mapped.kind === 'failed') writer.failStyle(mapped.productId, mapped.reasons);
      else if (mapped.kind === 'unflagged') await writer.unflagged(mapped.productId);
      else {
        // One settlement for the style's writes and its retirements: a style with nothing to write
        // would otherwise be settled (and counted) once by each.
        writer.tracker.open(mapped.productId);
        for (const issue of mapped.warnings) writer.note('warning', issue);
        for (const issue of mapped.skuFailures) writer.note('error', issue);
        await writer.style(mapped.productId, mapped.season, mapped.products);
        // What JOOR has of the style that the style no longer holds (SKUs unflagged or gone, the other colorway mode's products).
        const keep = new Set([...mapped.products.flatMap((p) => p.skus.map((s) => s.key)), ...mapped.skuFailures.map((f) => f.entityKey)]);
        const productKeys = new Set(mapped.products.map((p) => p.key));
        await writer.retire(
          mapped.productId,
          (skuLinksOf.get(mapped.productId) ?? []).filter((l) => !keep.has(l.amcId)),
          (productLinksOf.get(mapped.productId) ?? []).filter((l) => !productKeys.has(l.amcId) && l.parentKey !== null).map((l) => l.amcId),
        );
        writer.tracker.release(mapped.productId);
      }
    }
    return mappedStyles.filter((m) => m.kind === 'synced').length;
  }
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
