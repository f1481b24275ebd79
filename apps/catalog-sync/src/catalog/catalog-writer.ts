import { JoorApiError, type BulkResult, type JoorClient, type JoorPriceInput, type JoorPriceUpdate, type JoorProductUpdate, type JoorSkuInput, type JoorSkuUpdate } from '@app/joor-client';
import { LINK_TYPES, retiredHash, type EntityLink, type EntityLinkRepository, type RunEventInput } from '@app/persistence';
import { skuIdOfLinkKey, type MappedPrice, type MappedProduct, type MappedSku, type StyleIssue } from '@app/mapping';
import { BulkQueue } from './bulk-queue';
import { StyleTracker } from './style-tracker';

/** Pages of styles whose read-ahead links are kept (a page's last writes go out during the next one or two). */
const KEEP_PAGES = 4;

/**
 * Bulk calls in a row that JOOR did not answer (after the client's own retries) before the run
 * gives up and lets the job retry: one lost call fails only its items (they stay due), a JOOR that
 * is down fails the run instead of failing every style of it one slow call at a time.
 */
const MAX_UNANSWERED_CALLS = 3;

export const LINK = LINK_TYPES;

interface ProductItem {
  styleId: string;
  season: string;
  product: MappedProduct;
  joorId?: string;
}

interface SkuItem {
  styleId: string;
  sku: MappedSku;
  productJoorId: string;
  joorId?: string;
  /** An update that only changes the status (a style that lost its flag). */
  statusOnly?: boolean;
}

interface PriceItem {
  styleId: string;
  price: MappedPrice;
  skuJoorId: string;
  joorId?: string;
}

/**
 * Sends the mapped catalog to JOOR through one queue per bulk endpoint, in dependency order
 * (products, then their SKUs, then their prices), comparing each payload's hash with the link's
 * so unchanged entities cost nothing, and recording each accepted payload's hash.
 */
export class CatalogWriter {
  readonly tracker = new StyleTracker();
  private readonly productCreate: BulkQueue<ProductItem>;
  private readonly productUpdate: BulkQueue<ProductItem>;
  private readonly skuCreate: BulkQueue<SkuItem>;
  private readonly skuUpdate: BulkQueue<SkuItem>;
  private readonly priceCreate: BulkQueue<PriceItem>;
  private readonly priceUpdate: BulkQueue<PriceItem>;
  /** Links read ahead for the styles being processed (one query per type per page of styles, not one per entity). */
  private readonly cache = new Map<string, Map<string, { link: EntityLink | null; page: number }>>();
  private page = 0;
  /** Links written by this run (to know when the table's statistics need a refresh). */
  linksWritten = 0;
  /** SKUs JOOR took a create or update of in this run (their stock follows). */
  skusWritten = 0;
  /** SKU links written before links kept what identifies a SKU: filled in as the run passes them. */
  private readonly metaBackfill: Array<{ amcId: string; meta: Record<string, unknown> }> = [];
  /** Bulk calls in a row JOOR did not answer. */
  private unanswered = 0;

  constructor(
    private readonly connectionId: string,
    private readonly joor: JoorClient,
    private readonly links: EntityLinkRepository,
    bulkMax: number,
    private readonly event: (event: RunEventInput) => void,
  ) {
    this.productCreate = new BulkQueue(bulkMax, (b) => this.guard(b, 'create products', () => this.createProducts(b)));
    this.productUpdate = new BulkQueue(bulkMax, (b) => this.guard(b, 'update products', () => this.updateProducts(b)));
    this.skuCreate = new BulkQueue(bulkMax, (b) => this.guard(b, 'create SKUs', () => this.createSkus(b)));
    this.skuUpdate = new BulkQueue(bulkMax, (b) => this.guard(b, 'update SKUs', () => this.updateSkus(b)));
    this.priceCreate = new BulkQueue(bulkMax, (b) => this.guard(b, 'create prices', () => this.createPrices(b)));
    this.priceUpdate = new BulkQueue(bulkMax, (b) => this.guard(b, 'update prices', () => this.updatePrices(b)));
  }

  /** Reads the links of a page of styles at once; each is used (and dropped) when its entity comes up. */
  async prefetch(entityType: string, keys: string[]): Promise<void> {
    const found = await this.links.find(this.connectionId, entityType, keys);
    const cache = this.cache.get(entityType) ?? new Map<string, { link: EntityLink | null; page: number }>();
    for (const key of keys) cache.set(key, { link: found.get(key) ?? null, page: this.page });
    this.cache.set(entityType, cache);
  }

  /**
   * Starts a new page of styles. Writes of a page finish during the next pages (the queues wait to
   * fill), so read-ahead links are kept a few pages; older ones (entities whose product or SKU
   * failed, never looked up) are dropped, so memory stays a few pages deep.
   */
  async nextPage(): Promise<void> {
    await this.links.setMeta(this.connectionId, LINK.sku, this.metaBackfill.splice(0, this.metaBackfill.length));
    this.page++;
    for (const cache of this.cache.values()) for (const [key, entry] of cache) if (entry.page < this.page - KEEP_PAGES) cache.delete(key);
  }

  private async linksOf(entityType: string, keys: string[]): Promise<Map<string, EntityLink>> {
    const cache = this.cache.get(entityType);
    const out = new Map<string, EntityLink>();
    const missing: string[] = [];
    for (const key of keys) {
      const entry = cache?.get(key);
      if (entry) {
        cache!.delete(key);
        if (entry.link) out.set(key, entry.link);
      } else missing.push(key);
    }
    if (missing.length) for (const [key, link] of await this.links.find(this.connectionId, entityType, missing)) out.set(key, link);
    return out;
  }

  /** One synced style: its products (then SKUs, then prices) go out as far as they differ from JOOR. */
  async style(styleId: string, season: string, products: MappedProduct[]): Promise<void> {
    this.tracker.open(styleId);
    const links = await this.linksOf(
      LINK.product,
      products.map((p) => p.key),
    );
    const seasonChanged: string[] = [];
    for (const product of products) {
      const link = links.get(product.key);
      this.tracker.add(styleId);
      if (!link?.joorId) await this.productCreate.push({ styleId, season, product });
      else if (link.payloadHash !== product.hash) await this.productUpdate.push({ styleId, season, product, joorId: link.joorId });
      else {
        if (link.parentKey !== season) seasonChanged.push(product.key);
        await this.skus(styleId, link.joorId, product.skus);
        this.tracker.release(styleId);
      }
    }
    if (seasonChanged.length) await this.links.setParent(this.connectionId, LINK.product, seasonChanged, season || null);
    this.tracker.release(styleId);
  }

  /** A style that lost its SYNC flag: every SKU JOOR has of it goes INACTIVE, its products leave their linesheets. */
  async unflagged(styleId: string): Promise<void> {
    const skuLinks = await this.links.findByParents(this.connectionId, LINK.sku, [styleId]);
    await this.links.detachStyle(this.connectionId, LINK.product, styleId);
    await this.retire(styleId, skuLinks, []);
  }

  /**
   * What JOOR has of a style that the style no longer holds: SKUs that lost their flag, left AMC,
   * or now live under other products (colorways as products switched) go INACTIVE; products of the
   * other mode leave their linesheets.
   */
  async retire(styleId: string, skuLinks: EntityLink[], productKeys: string[]): Promise<void> {
    this.tracker.open(styleId);
    if (productKeys.length) await this.links.setParent(this.connectionId, LINK.product, productKeys, null);
    for (const link of skuLinks) {
      if (!link.joorId) continue;
      const hash = retiredHash(link.amcId);
      if (link.payloadHash === hash) continue;
      this.tracker.add(styleId);
      await this.skuUpdate.push({
        styleId,
        joorId: link.joorId,
        productJoorId: '',
        statusOnly: true,
        sku: retiredSku(link.amcId, hash),
      });
    }
    this.tracker.release(styleId);
  }

  /** A mapper's warning or SKU failure, as an event of the run. */
  note(level: 'warning' | 'error', issue: StyleIssue): void {
    this.event({ level, entityType: issue.entityType, entityKey: issue.entityKey, reason: issue.reason });
  }

  failStyle(styleId: string, reasons: string[]): void {
    this.tracker.open(styleId);
    this.tracker.mark(styleId, 'failed');
    this.event({ level: 'error', entityType: 'style', entityKey: styleId, reason: reasons.join('; ') });
    this.tracker.release(styleId);
  }

  /** Sends whatever waits in the queues, in dependency order, until nothing is left. */
  async drain(): Promise<void> {
    await this.links.setMeta(this.connectionId, LINK.sku, this.metaBackfill.splice(0, this.metaBackfill.length));
    for (let moved = true; moved;) {
      moved = false;
      for (const queue of [this.productCreate, this.productUpdate, this.skuCreate, this.skuUpdate, this.priceCreate, this.priceUpdate]) {
        if (await queue.drain()) moved = true;
      }
    }
  }

  // ---------- products ----------

  private async createProducts(batch: ProductItem[]): Promise<void> {
    const result = await this.joor.createProducts(batch.map((i) => i.product.payload));
    await this.settle(
      batch,
      result,
      LINK.product,
      async (item, id, duplicated) => {
        if (duplicated) return this.productUpdate.push({ ...item, joorId: id });
        this.tracker.mark(item.styleId, 'created');
        await this.skus(item.styleId, id, item.product.skus);
        this.tracker.release(item.styleId);
      },
      (item) => ({ amcId: item.product.key, hash: item.product.hash, parentKey: item.season || null }),
      (item) => `product ${item.product.payload.external_id}`,
    );
  }

  private async updateProducts(batch: ProductItem[]): Promise<void> {
    const result = await this.joor.updateProducts(batch.map((i): JoorProductUpdate => ({ ...i.product.payload, id: i.joorId! })));
    await this.settle(
      batch,
      result,
      LINK.product,
      async (item, id) => {
        this.tracker.mark(item.styleId, 'written');
        await this.skus(item.styleId, id, item.product.skus);
        this.tracker.release(item.styleId);
      },
      (item) => ({ amcId: item.product.key, hash: item.product.hash, parentKey: item.season || null }),
      (item) => `product ${item.product.payload.external_id}`,
    );
  }

  // ---------- SKUs ----------

  private async skus(styleId: string, productJoorId: string, skus: MappedSku[]): Promise<void> {
    if (skus.length === 0) return;
    const links = await this.linksOf(
      LINK.sku,
      skus.map((s) => s.key),
    );
    for (const sku of skus) {
      const link = links.get(sku.key);
      this.tracker.add(styleId);
      if (!link?.joorId) await this.skuCreate.push({ styleId, sku, productJoorId });
      else if (link.payloadHash !== sku.hash) await this.skuUpdate.push({ styleId, sku, productJoorId, joorId: link.joorId });
      else {
        if (!link.meta) this.metaBackfill.push({ amcId: sku.key, meta: { ...sku.identity } });
        await this.prices(styleId, link.joorId, sku.prices);
        this.tracker.release(styleId);
      }
    }
  }

  private async createSkus(batch: SkuItem[]): Promise<void> {
    const result = await this.joor.createSkus(batch.map((i): JoorSkuInput => ({ ...i.sku.payload, product_id: i.productJoorId })));
    await this.settle(
      batch,
      result,
      LINK.sku,
      async (item, id, duplicated) => {
        if (duplicated) return this.skuUpdate.push({ ...item, joorId: id });
        this.tracker.mark(item.styleId, 'written');
        await this.prices(item.styleId, id, item.sku.prices);
        this.tracker.release(item.styleId);
      },
      (item) => ({ amcId: item.sku.key, hash: item.sku.hash, parentKey: item.styleId, ...(item.statusOnly ? {} : { meta: { ...item.sku.identity } }) }),
      (item) => `SKU ${item.sku.key}`,
    );
  }

  private async updateSkus(batch: SkuItem[]): Promise<void> {
    // The whole payload the hash covers (traits included, so a renamed color or size reaches JOOR).
    const result = await this.joor.updateSkus(batch.map((i): JoorSkuUpdate => (i.statusOnly ? { id: i.joorId!, status: 'INACTIVE' } : { ...i.sku.payload, id: i.joorId! })));
    await this.settle(
      batch,
      result,
      LINK.sku,
      async (item, id) => {
        this.tracker.mark(item.styleId, 'written');
        await this.prices(item.styleId, id, item.sku.prices);
        this.tracker.release(item.styleId);
      },
      (item) => ({ amcId: item.sku.key, hash: item.sku.hash, parentKey: item.styleId, ...(item.statusOnly ? {} : { meta: { ...item.sku.identity } }) }),
      (item) => `SKU ${item.sku.key}`,
    );
  }

  // ---------- prices ----------

  private async prices(styleId: string, skuJoorId: string, prices: MappedPrice[]): Promise<void> {
    if (prices.length === 0) return;
    const links = await this.linksOf(
      LINK.price,
      prices.map((p) => p.key),
    );
    for (const price of prices) {
      const link = links.get(price.key);
      if (link?.joorId && link.payloadHash === price.hash) continue;
      this.tracker.add(styleId);
      if (!link?.joorId) await this.priceCreate.push({ styleId, price, skuJoorId });
      else await this.priceUpdate.push({ styleId, price, skuJoorId, joorId: link.joorId });
    }
  }

  private async createPrices(batch: PriceItem[]): Promise<void> {
    const result = await this.joor.createPrices(batch.map((i): JoorPriceInput => priceInput(i)));
    await this.settle(
      batch,
      result,
      LINK.price,
      async (item, id, duplicated) => {
        if (duplicated) return this.priceUpdate.push({ ...item, joorId: id });
        this.tracker.mark(item.styleId, 'written');
        this.tracker.release(item.styleId);
      },
      (item) => ({ amcId: item.price.key, hash: item.price.hash, parentKey: item.price.skuKey }),
      (item) => `price "${item.price.label}" (${item.price.currency}) of SKU ${item.price.skuKey}`,
    );
  }

  private async updatePrices(batch: PriceItem[]): Promise<void> {
    const result = await this.joor.updatePrices(
      // retail_value null clears a retail price AMC no longer has: what is sent is what the hash covers.
      batch.map((i): JoorPriceUpdate => ({ id: i.joorId!, wholesale_value: i.price.wholesale, retail_value: i.price.retail })),
    );
    await this.settle(
      batch,
      result,
      LINK.price,
      async (item) => {
        this.tracker.mark(item.styleId, 'written');
        this.tracker.release(item.styleId);
      },
      (item) => ({ amcId: item.price.key, hash: item.price.hash, parentKey: item.price.skuKey }),
      (item) => `price "${item.price.label}" (${item.price.currency}) of SKU ${item.price.skuKey}`,
    );
  }

  /**
   * One bulk call. When JOOR refuses the call as a whole (a 4xx other than auth) or does not answer
   * it after the client's retries, its items fail and stay due; the run goes on with the rest.
   * Auth failures, and several unanswered calls in a row, end the run (the job retries it).
   */
  private async guard<I extends { styleId: string }>(batch: I[], what: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
      this.unanswered = 0;
    } catch (err) {
      if (!(err instanceof JoorApiError)) throw err;
      const refused = !err.transient && err.httpStatus !== null && err.httpStatus >= 400 && err.httpStatus < 500 && ![401, 403, 429].includes(err.httpStatus);
      if (!err.transient && !refused) throw err;
      if (err.transient && ++this.unanswered >= MAX_UNANSWERED_CALLS) throw err;
      const reason = refused ? `JOOR refused the call to ${what} (${err.message})` : `JOOR did not answer the call to ${what} after retries (${err.message})`;
      for (const styleId of new Set(batch.map((item) => item.styleId))) {
        this.event({ level: 'error', entityType: 'style', entityKey: styleId, reason: `${reason}; style ${styleId} is tried again at the next delta` });
      }
      for (const item of batch) {
        this.tracker.retry(item.styleId, reason);
        this.tracker.release(item.styleId);
      }
    }
  }

  /**
   * Records the links of the accepted items (a DUPLICATED create keeps the id with no hash, so
   * the update that follows is what sets it), an event per refused item, then lets each item go on.
   */
  private async settle<I extends { styleId: string }, R>(
    batch: I[],
    result: BulkResult<unknown, R>,
    entityType: string,
    next: (item: I, id: string, duplicated: boolean) => Promise<void>,
    link: (item: I) => { amcId: string; hash: string; parentKey: string | null; meta?: Record<string, unknown> },
    name: (item: I) => string,
  ): Promise<void> {
    this.linksWritten += result.ok.length;
    if (entityType === LINK.sku) this.skusWritten += result.ok.length;
    await this.links.upsert(
      this.connectionId,
      entityType,
      result.ok.map((ok) => {
        const l = link(batch[ok.index]);
        return { amcId: l.amcId, joorId: ok.id, payloadHash: ok.duplicated ? null : l.hash, parentKey: l.parentKey, ...(l.meta ? { meta: l.meta } : {}) };
      }),
    );
    for (const failed of result.failed) {
      const item = batch[failed.index];
      this.tracker.retry(item.styleId, `JOOR refused ${name(item)}: ${failed.message || failed.status}`);
      this.event({
        level: 'error',
        entityType,
        entityKey: link(item).amcId,
        reason: `JOOR refused ${name(item)} of style ${item.styleId}: ${failed.message || failed.status}`,
        details: { status: failed.status, ...failed.details },
      });
      this.tracker.release(item.styleId);
    }
    for (const ok of result.ok) await next(batch[ok.index], ok.id, ok.duplicated);
  }
}

function priceInput(item: PriceItem): JoorPriceInput {
  return {
    sku_id: item.skuJoorId,
    price_type_id: item.price.priceTypeId,
    wholesale_value: item.price.wholesale,
    ...(item.price.retail !== null ? { retail_value: item.price.retail } : {}),
  };
}

/** A SKU going INACTIVE: only its key, hash and status matter (a status-only update, its link's meta kept). */
function retiredSku(key: string, hash: string): MappedSku {
  const none = '';
  return {
    key,
    skuId: skuIdOfLinkKey(key),
    payload: { external_id: none, sku_identifier: none, trait_values: [], identifiers: [], status: 'INACTIVE' },
    identity: { style: none, styleNumber: none, colorCode: none, color: none, size: none, upc: null },
    hash,
    prices: [],
  };
}
