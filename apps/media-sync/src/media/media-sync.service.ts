import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { AmcProduct, AmcProductAttribute } from '@app/amc-client';
import { MEDIA_SYNC, type MediaSyncPayload, type RunJobResult } from '@app/contracts';
import type { JoorAsset, JoorClient } from '@app/joor-client';
import { decideMediaSet, MEDIA_EXTERNAL_ID_PREFIX, planStyleMedia, type MediaProductOnJoor, type MediaTarget } from '@app/mapping';
import { EntityLinkRepository, LINK_TYPES, RETIRED_HASH_PREFIX, SyncCursorRepository, SyncDueRepository, type EntityLink } from '@app/persistence';
import { chooseMode, deltaSince, parseShape, shapeChanges, describeStyleScope, runOptionsOf, SyncRunner, type RunContext, type RunEnd } from '@app/sync-core';
import { AmcMediaReader } from './amc-media.reader';
import { ImageProber } from './image-prober';
import { describeTarget, imageEntityKey, JoorAssetWriter, type ForeignAsset, type TargetSend } from './joor-asset.writer';
import { MEDIA_SYNC_TUNING, type MediaSyncTuning } from './media-sync.tuning';

const CURSOR_STREAM = 'amc.media';
const SHAPE_STREAM = 'amc.media.shape';
/** sync_due kind of styles whose images did not all go through. */
const DUE_KIND = 'images';
// Ids per OR-joined AMC read: keeps the query string a few kB.
const IDS_PER_AMC_QUERY = 50;

export const IMAGES_OFF_REASON = 'images are off for this connection (syncImages is false): nothing is sent to JOOR and nothing is removed';

/**
 * One images run: the images of every style catalog sync has put on JOOR (a style with live SKU
 * links; its products from its product links), read from AMC, checked against their image server
 * (a HEAD, no JOOR credits), and sent where a set differs from what JOOR was last sent. Which
 * styles a run looks at:
 * - `full` (asked for, the first run, or syncImages / syncColorwaysAsProducts changed): every one;
 * - `delta`: the styles whose AMC product or colorway records changed since the cursor (with an
 *   overlap), those catalog sync wrote since, and the due ones;
 * - `styles`: the named styles.
 * With syncImages off a run sends and removes nothing; turning it on changes the shape, so the next
 * run is full.
 */
@Injectable()
export class MediaSyncService {
  constructor(
    private readonly runner: SyncRunner,
    private readonly links: EntityLinkRepository,
    private readonly cursors: SyncCursorRepository,
    private readonly due: SyncDueRepository,
    @Inject(MEDIA_SYNC_TUNING) private readonly tuning: MediaSyncTuning,
  ) {}

  handle(job: Job<MediaSyncPayload, RunJobResult>): Promise<RunJobResult> {
    return this.runner.run(job, runOptionsOf(MEDIA_SYNC, this.tuning.busyRetryMs, describeStyleScope), (run) => this.sync(run));
  }

  private async sync(run: RunContext<MediaSyncPayload>): Promise<RunEnd> {
    const { connectionId, payload } = run;
    const { amc, joor, settings } = run.clients;
    const startedAt = new Date();
    const shape = { syncImages: settings.syncImages, colorwaysAsProducts: settings.syncColorwaysAsProducts };
    if (!settings.syncImages) {
      await run.details({ skipped: IMAGES_OFF_REASON });
      // Kept so that turning images on is a shape change: the next run is full.
      await this.cursors.set(connectionId, SHAPE_STREAM, JSON.stringify(shape));
      return 'succeeded';
    }
    const cursor = await this.cursors.get(connectionId, CURSOR_STREAM);
    const previousShape = parseShape(await this.cursors.get(connectionId, SHAPE_STREAM));
    const changes = shapeChanges(previousShape, shape);
    const styleNumbers = payload.styleNumbers?.filter((s) => s.trim()) ?? [];
    const mode = chooseMode({ styleNumbers, full: payload.full ?? false, cursor, previousShape, changes });
    const since = deltaSince(cursor, this.tuning.cursorOverlapMs);
    const dueStyles = mode === 'delta' ? await this.due.due(connectionId, DUE_KIND) : [];
    await run.details({ mode, since: mode === 'delta' ? since : null, ...(changes.length ? { shapeChanged: changes } : {}), retried: dueStyles.length });

    const reader = new AmcMediaReader(amc, IDS_PER_AMC_QUERY);
    const styleIds = await this.styleIdsOf(
      connectionId,
      mode,
      reader,
      since,
      styleNumbers,
      dueStyles.map((d) => d.key),
    );
    await run.setTotal(styleIds.length);
    const prober = new ImageProber(this.tuning.probeConcurrency, this.tuning.probeTimeoutMs);
    const writer = new JoorAssetWriter(connectionId, joor, this.links, this.tuning.assetsPerCall, run.event);
    const stillDue: Array<{ key: string; reason: string }> = [];
    const report = async (done: number) => {
      run.count(writer.take(), done);
      await run.flush();
    };
    for (let i = 0; i < styleIds.length; i += this.tuning.stylesPerPage) {
      const ids = styleIds.slice(i, i + this.tuning.stylesPerPage);
      await this.page(run, reader, prober, writer, joor, ids, stillDue);
      await report(ids.length);
    }
    await writer.drain();
    await report(0);

    const failed = [...stillDue, ...writer.due];
    const failedKeys = new Set(failed.map((f) => f.key));
    await this.due.clear(
      connectionId,
      DUE_KIND,
      [...new Set([...styleIds, ...dueStyles.map((d) => d.key)])].filter((id) => !failedKeys.has(id)),
    );
    await this.due.record(connectionId, DUE_KIND, failed);
    if (mode !== 'styles') {
      await this.cursors.set(connectionId, CURSOR_STREAM, startedAt.toISOString());
      await this.cursors.set(connectionId, SHAPE_STREAM, JSON.stringify(shape));
    }
    const dueNow = await this.due.count(connectionId, DUE_KIND);
    if (dueNow > 0 || dueStyles.length > 0) await run.details({ due: dueNow });
  }

  /** The AMC product ids of the styles the run looks at, in id order, each once; only styles on JOOR. */
  private async styleIdsOf(connectionId: string, mode: 'full' | 'delta' | 'styles', reader: AmcMediaReader, since: string | null, styleNumbers: string[], due: string[]): Promise<string[]> {
    const onJoor = new Set<string>();
    const candidates = new Set<string>(due);
    if (mode === 'styles') for (const id of await reader.productIdsOf(styleNumbers)) candidates.add(id);
    if (mode === 'delta') {
      for (const id of await reader.changedSince(since!)) candidates.add(id);
      for await (const page of this.livePages(connectionId, LINK_TYPES.sku, { syncedSince: new Date(Date.parse(since!)) })) for (const link of page) if (link.parentKey) candidates.add(link.parentKey);
      for await (const page of this.livePages(connectionId, LINK_TYPES.product, { syncedSince: new Date(Date.parse(since!)) })) for (const link of page) candidates.add(link.amcId.split(':')[0]);
    }
    if (mode === 'full') {
      for await (const page of this.livePages(connectionId, LINK_TYPES.sku, {})) for (const link of page) if (link.parentKey) onJoor.add(link.parentKey);
    } else {
      const wanted = [...candidates];
      for (let i = 0; i < wanted.length; i += 1_000) {
        for (const link of await this.links.findByParents(connectionId, LINK_TYPES.sku, wanted.slice(i, i + 1_000))) if (isLive(link) && link.parentKey) onJoor.add(link.parentKey);
      }
    }
    return [...onJoor].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  }

  private async *livePages(connectionId: string, entityType: string, filter: { syncedSince?: Date }): AsyncGenerator<EntityLink[]> {
    for (let afterKey: string | null = null; ;) {
      const page = await this.links.pageLive(connectionId, entityType, { ...filter, afterKey, limit: 1_000, retiredHashPrefix: RETIRED_HASH_PREFIX });
      if (page.length === 0) return;
      yield page;
      afterKey = page[page.length - 1].amcId;
    }
  }

  /** One page of styles: read, plan, check the images, and queue the sets that changed. */
  private async page(
    run: RunContext<MediaSyncPayload>,
    reader: AmcMediaReader,
    prober: ImageProber,
    writer: JoorAssetWriter,
    joor: JoorClient,
    ids: string[],
    stillDue: Array<{ key: string; reason: string }>,
  ): Promise<void> {
    const { connectionId } = run;
    const [amcPage, skuLinks, productLinks] = await Promise.all([
      reader.styles(ids),
      this.links.findByParents(connectionId, LINK_TYPES.sku, ids),
      this.links.findByStyles(connectionId, LINK_TYPES.product, ids),
    ]);
    for (const bad of amcPage.invalid) run.event({ level: 'error', entityType: 'style', entityKey: bad.id, reason: `AMC sent a record that cannot be read: ${bad.problems.join('; ')}` });
    const colorwaysOf = groupBy(amcPage.colorways, (c) => c.product_id);
    const targets: MediaTarget[] = [];
    for (const product of amcPage.products) {
      const onJoor = productsOnJoor(
        product.product_id,
        skuLinks.filter((l) => l.parentKey === product.product_id && isLive(l)),
        productLinks,
      );
      targets.push(...planStyleMedia(mediaStyleOf(product, colorwaysOf.get(product.product_id) ?? []), onJoor, (img) => reader.imageUrl(img)));
    }
    const checks = await prober.probeAll(targets.flatMap((t) => t.images.map((i) => i.url)));
    const sentLinks = await this.links.find(
      connectionId,
      LINK_TYPES.media,
      targets.map((t) => t.key),
    );

    const sends: TargetSend[] = [];
    for (const target of targets) {
      const decision = decideMediaSet(target, checks, sentLinks.get(target.key) ?? null);
      for (const { image, problem } of decision.refused) {
        run.event({
          level: 'error',
          entityType: 'image',
          entityKey: imageEntityKey(target),
          reason: `The ${image.type} ${image.url} of ${describeTarget(target)} is not sent: ${problem}`,
          details: { url: image.url, style: target.styleNumber, color: target.colorCode },
        });
      }
      if (decision.action === 'hold') {
        writer.counts.failed++;
        stillDue.push({ key: target.styleId, reason: `an image of ${describeTarget(target)} could not be checked: ${decision.reason}` });
      } else if (decision.action === 'unchanged') writer.counts.unchanged++;
      else sends.push({ target, images: decision.images, hash: decision.hash, replace: decision.action === 'replace', foreign: [] });
    }

    // A replaced set takes JOOR's whole set of its product (or product color): what was loaded by hand goes with it, so it is read first and re-sent.
    const replacing = sends.filter((s) => s.replace);
    if (replacing.length) {
      const assets = (await joor.listAssets({ productIds: [...new Set(replacing.map((s) => s.target.joorProductId))] })).items;
      for (const send of replacing) send.foreign = foreignAssetsOf(send.target, assets);
    }
    for (const send of sends) {
      if (send.images.length === 0 && send.foreign.length === 0) {
        // JOOR's asset calls replace a set with the items sent, so an empty set cannot be sent: a first one has nothing to
        // add, and the images of one emptied in AMC stay on JOOR until a person removes them.
        if (send.replace) {
          run.event({
            level: 'warning',
            entityType: 'image',
            entityKey: imageEntityKey(send.target),
            reason: `${describeTarget(send.target)} has no image left in AMC, but JOOR's API cannot empty an image set: remove its images in JOOR by hand`,
          });
        }
        await this.links.upsert(connectionId, LINK_TYPES.media, [
          { amcId: send.target.key, joorId: send.target.joorProductId, payloadHash: send.hash, parentKey: send.target.styleId, meta: { externalIds: [] } },
        ]);
        writer.counts.unchanged++;
        continue;
      }
      await writer.push(send);
    }
  }
}

function isLive(link: EntityLink): boolean {
  return !!link.joorId && !(link.payloadHash ?? '').startsWith(RETIRED_HASH_PREFIX);
}

/**
 * The JOOR products of a style that carry live SKUs: the style's own product, or (colorways as
 * products, SKU keys ending `:cw`) each colorway's, with the color codes of their SKUs.
 */
function productsOnJoor(styleId: string, skus: EntityLink[], productLinks: EntityLink[]): MediaProductOnJoor[] {
  const byKey = new Map<string, { colors: Set<string>; known: boolean }>();
  for (const sku of skus) {
    const colorCode = typeof sku.meta?.colorCode === 'string' ? sku.meta.colorCode : null;
    const ownProduct = sku.amcId.endsWith(':cw');
    if (ownProduct && !colorCode) continue;
    const key = ownProduct ? `${styleId}:${colorCode}` : styleId;
    const entry = byKey.get(key) ?? { colors: new Set<string>(), known: true };
    if (colorCode) entry.colors.add(colorCode);
    else entry.known = false;
    byKey.set(key, entry);
  }
  const joorIds = new Map(productLinks.filter((l) => l.joorId).map((l) => [l.amcId, l.joorId!]));
  return [...byKey]
    .filter(([key]) => joorIds.has(key))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, entry]) => ({ key, joorId: joorIds.get(key)!, colorCodes: entry.known ? entry.colors : null }));
}

/** Assets of the target's product (and color) that this integration did not create. */
function foreignAssetsOf(target: MediaTarget, assets: JoorAsset[]): ForeignAsset[] {
  return assets
    .filter((a) => a.product_id === target.joorProductId && !(a.external_id ?? '').startsWith(MEDIA_EXTERNAL_ID_PREFIX))
    .filter((a) => (target.colorCode === null ? a.level !== 'color' && !a.color_external_id : a.color_external_id === target.colorCode))
    .sort((a, b) => (a.display_order ?? 0) - (b.display_order ?? 0))
    .map((a) => ({ type: a.type, filename: a.filename, source_url: a.source_url, external_id: a.external_id }));
}

function mediaStyleOf(product: AmcProduct, colorways: AmcProductAttribute[]) {
  return { product_id: product.product_id, style_number: product.style_number, images: product.images, colorways };
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
