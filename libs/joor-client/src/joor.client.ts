import type Redis from 'ioredis';
import type { z } from 'zod';
import type { BudgetPriority, CreditBudget } from '@app/joor-budget';
import { chunk, emptyResult, mergeInto, pairBulkResponse, type BulkResult } from './bulk-result';
import {
  assetSchema,
  collectionSchema,
  connectionOf,
  connectionSchema,
  feedOrderSchema,
  inventoryResponseSchema,
  lineItemSchema,
  priceSchema,
  priceTypeSchema,
  productSchema,
  readConnectionJob,
  readOrderFeed,
  readV4Envelope,
  seasonSchema,
  skuSchema,
  traitSchema,
  v4OrderSchema,
  type JoorAsset,
  type JoorCollection,
  type JoorConnectionJob,
  type JoorConnectionLog,
  type JoorConnectionRecord,
  type JoorFeedOrder,
  type JoorInventoryResponse,
  type JoorPrice,
  type JoorPriceTypeRecord,
  type JoorProduct,
  type JoorSeasonRecord,
  type JoorSku,
  type JoorSkuLineItem,
  type JoorTrait,
  type JoorV4Order,
} from './joor-api.schemas';
import type {
  JoorCollectionInput,
  JoorCollectionUpdate,
  JoorColorAssetInput,
  JoorConnectionInput,
  JoorInventoryItem,
  JoorOrderExportUpdate,
  JoorOrderFeedQuery,
  JoorPriceInput,
  JoorPriceUpdate,
  JoorProductAssetInput,
  JoorProductInput,
  JoorProductUpdate,
  JoorSkuInput,
  JoorSkuUpdate,
} from './joor-api.types';
import { JoorMalformedResponseError } from './joor-errors';
import { itemErrors, JoorHttp, type JoorCallEvent, type JoorRequest } from './joor-http';
import { JoorTokenProvider, type JoorV4Credentials, type TokenCipher } from './joor-token.provider';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

export interface JoorUrls {
  /** The v4 token endpoint (atlas). */
  auth: string;
  v4: string;
  v2: string;
}

export const JOOR_PRODUCTION_URLS: JoorUrls = { auth: 'https://atlas.jooraccess.com/auth/', v4: 'https://api.jooraccess.com/v4', v2: 'https://api.jooraccess.com/v2' };
export const JOOR_SANDBOX_URLS: JoorUrls = { auth: 'https://atlas-sandbox.jooraccess.com/auth/', v4: 'https://apisandbox.jooraccess.com/v4', v2: 'https://apisandbox.jooraccess.com/v2' };

/** The URLs of our JOOR sandbox (one host serves auth, v4 and v2). */
export function joorSandboxUrls(baseUrl: string): JoorUrls {
  const base = baseUrl.replace(/\/$/, '');
  return { auth: `${base}/auth/`, v4: `${base}/v4`, v2: `${base}/v2` };
}

export interface JoorCredentials extends JoorV4Credentials {
  /** The static v2 token JOOR issued to the account. */
  v2Token: string;
}

export interface JoorClientOptions {
  accountId: string;
  urls: JoorUrls;
  credentials: JoorCredentials;
  /** Shares the access token between processes; owned (and closed) by the caller. */
  redis: Redis;
  /** Seals the tokens cached in `redis` (the stored secrets' key). */
  tokenCipher: TokenCipher;
  budget: CreditBudget;
  /** The budget priority of this client's calls. */
  priority: BudgetPriority;
  keyPrefix?: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Items per v4 bulk call: JOOR's documented maximum. */
  bulkMax?: number;
  /** Rows per v2 bulk-inventory call. */
  inventoryBatch?: number;
  /** Customers per v2 bulk-connection call. */
  connectionBatch?: number;
  /**
   * A run's stop signal: when it aborts, a call waiting for credits or for its retry's back-off
   * rejects at once with the signal's reason (a call in flight is let finish: its answer must be
   * recorded). A paused connection's run stops within a few seconds this way.
   */
  signal?: AbortSignal;
  onEvent?: (event: JoorCallEvent) => void;
}

/** A list read from JOOR: the records that passed validation, and the ones that did not. */
export interface Listed<R> {
  items: R[];
  invalid: Array<{ raw: unknown; problem: string }>;
}

export interface OrderFeedPage extends Listed<JoorFeedOrder> {
  startFrom: number;
  total: number | null;
}

const DEFAULTS = {
  // JOOR answers within seconds; 30 s rides out a slow bulk call without hanging a worker.
  timeoutMs: 30_000,
  bulkMax: 100,
  inventoryBatch: 1_000,
  // JOOR documents no limit for bulk-connection; it quotes its data team's turnaround for lists of 100 and of 1,000+,
  // and our sandbox takes up to 1,000 per call (see apps/joor-sandbox/README.md).
  connectionBatch: 1_000,
  listLimit: 500,
  idsPerQuery: 100,
  feedCount: 100,
};

type Schema<R> = z.ZodType<R, any>;

function parser<R>(schema: Schema<R>) {
  return (raw: unknown): { ok: true; value: R } | { ok: false; problem: string } => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ') };
  };
}

function validateAll<R>(schema: Schema<R>, raws: unknown[]): Listed<R> {
  const parse = parser(schema);
  const listed: Listed<R> = { items: [], invalid: [] };
  for (const raw of raws) {
    const outcome = parse(raw);
    if (outcome.ok) listed.items.push(outcome.value);
    else listed.invalid.push({ raw, problem: outcome.problem });
  }
  return listed;
}

/**
 * The typed JOOR client of one account: v4 catalog, linesheets, images and order updates; v2
 * inventory, customers and the order feed. Every call takes its credits from the shared budget.
 */
export class JoorClient {
  readonly tokens: JoorTokenProvider;
  private readonly http: JoorHttp;
  private readonly bulkMax: number;
  private readonly inventoryBatch: number;
  private readonly connectionBatch: number;

  constructor(
    private readonly options: JoorClientOptions,
    shared?: { tokens: JoorTokenProvider },
  ) {
    const retry = { ...DEFAULT_RETRY_POLICY, ...(options.retry ?? {}) };
    const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.bulkMax = options.bulkMax ?? DEFAULTS.bulkMax;
    this.inventoryBatch = options.inventoryBatch ?? DEFAULTS.inventoryBatch;
    this.connectionBatch = options.connectionBatch ?? DEFAULTS.connectionBatch;
    this.tokens =
      shared?.tokens ??
      new JoorTokenProvider({
        authUrl: options.urls.auth,
        accountId: options.accountId,
        credentials: options.credentials,
        redis: options.redis,
        tokenCipher: options.tokenCipher,
        keyPrefix: options.keyPrefix ?? '',
        timeoutMs,
        retry,
      });
    this.http = new JoorHttp({
      accountId: options.accountId,
      v2Url: options.urls.v2,
      v4Url: options.urls.v4,
      v2Token: options.credentials.v2Token,
      tokens: this.tokens,
      budget: options.budget,
      priority: options.priority,
      timeoutMs,
      retry,
      signal: options.signal,
      onEvent: options.onEvent,
    });
  }

  /** The same account and token cache, at another budget priority. */
  withPriority(priority: BudgetPriority): JoorClient {
    return new JoorClient({ ...this.options, priority }, { tokens: this.tokens });
  }

  // ---------- v4 reference data ----------

  async priceTypes(): Promise<Listed<JoorPriceTypeRecord>> {
    return this.listOnce('/price_types', priceTypeSchema);
  }

  async seasons(): Promise<Listed<JoorSeasonRecord>> {
    return this.listOnce('/seasons', seasonSchema);
  }

  async traits(): Promise<Listed<JoorTrait>> {
    return this.listOnce('/traits', traitSchema);
  }

  // ---------- v4 products, SKUs, prices ----------

  listProducts(filter: { ids?: Array<string | number>; externalIds?: string[] } = {}): Promise<Listed<JoorProduct>> {
    if (filter.ids?.length) return this.listByIds('/products', 'ids', filter.ids, productSchema);
    if (filter.externalIds?.length) return this.listByIds('/products', 'external_ids', filter.externalIds, productSchema);
    return this.listAll('/products', {}, productSchema);
  }

  createProducts(items: JoorProductInput[]): Promise<BulkResult<JoorProductInput, JoorProduct>> {
    return this.bulk('/products/bulk_create', items, productSchema);
  }

  updateProducts(items: JoorProductUpdate[]): Promise<BulkResult<JoorProductUpdate, JoorProduct>> {
    return this.bulk('/products/bulk_update', items, productSchema);
  }

  listSkus(filter: { productIds?: Array<string | number>; ids?: Array<string | number>; externalIds?: string[] }): Promise<Listed<JoorSku>> {
    if (filter.productIds?.length) return this.listByIds('/skus', 'product_ids', filter.productIds, skuSchema);
    if (filter.ids?.length) return this.listByIds('/skus', 'ids', filter.ids, skuSchema);
    if (filter.externalIds?.length) return this.listByIds('/skus', 'external_ids', filter.externalIds, skuSchema);
    return this.listAll('/skus', {}, skuSchema);
  }

  createSkus(items: JoorSkuInput[]): Promise<BulkResult<JoorSkuInput, JoorSku>> {
    return this.bulk('/skus/bulk_create', items, skuSchema);
  }

  updateSkus(items: JoorSkuUpdate[]): Promise<BulkResult<JoorSkuUpdate, JoorSku>> {
    return this.bulk('/skus/bulk_update', items, skuSchema);
  }

  listPrices(filter: { skuIds: Array<string | number> }): Promise<Listed<JoorPrice>> {
    return this.listByIds('/prices', 'sku_ids', filter.skuIds, priceSchema);
  }

  createPrices(items: JoorPriceInput[]): Promise<BulkResult<JoorPriceInput, JoorPrice>> {
    return this.bulk('/prices/bulk_create', items, priceSchema);
  }

  updatePrices(items: JoorPriceUpdate[]): Promise<BulkResult<JoorPriceUpdate, JoorPrice>> {
    return this.bulk('/prices/bulk_update', items, priceSchema);
  }

  // ---------- v4 collections (linesheets) and assets (images) ----------

  listCollections(filter: { ids?: Array<string | number>; externalIds?: string[] } = {}): Promise<Listed<JoorCollection>> {
    if (filter.ids?.length) return this.listByIds('/collections', 'ids', filter.ids, collectionSchema);
    if (filter.externalIds?.length) return this.listByIds('/collections', 'external_ids', filter.externalIds, collectionSchema);
    return this.listAll('/collections', {}, collectionSchema);
  }

  createCollections(items: JoorCollectionInput[]): Promise<BulkResult<JoorCollectionInput, JoorCollection>> {
    return this.bulk('/collections/bulk_create', items, collectionSchema);
  }

  updateCollections(items: JoorCollectionUpdate[]): Promise<BulkResult<JoorCollectionUpdate, JoorCollection>> {
    return this.bulk('/collections/bulk_update', items, collectionSchema);
  }

  listAssets(filter: { productIds: Array<string | number> }): Promise<Listed<JoorAsset>> {
    return this.listByIds('/assets', 'product_ids', filter.productIds, assetSchema);
  }

  /** Product images. With `replaceAll`, each product named keeps only the images of this call (so a chunk must hold all of a product's images). */
  addProductAssets(items: JoorProductAssetInput[], options: { replaceAll?: boolean } = {}): Promise<BulkResult<JoorProductAssetInput, JoorAsset>> {
    return this.bulk('/assets/products', items, assetSchema, { replace_all: options.replaceAll ? 'true' : 'false' }, (item) => String(item.product.id));
  }

  /** Color-level images and swatches. */
  addColorAssets(items: JoorColorAssetInput[], options: { replaceAll?: boolean } = {}): Promise<BulkResult<JoorColorAssetInput, JoorAsset>> {
    return this.bulk('/assets/sku_trait_values', items, assetSchema, { replace_all: options.replaceAll ? 'true' : 'false' }, (item) => `${item.product.id}:${item.sku_trait_value.value.external_id}`);
  }

  // ---------- orders ----------

  listOrders(filter: { ids: Array<string | number> }): Promise<Listed<JoorV4Order>> {
    return this.listByIds('/orders', 'ids', filter.ids, v4OrderSchema);
  }

  async orderLineItems(orderIds: Array<string | number>): Promise<Listed<JoorSkuLineItem>> {
    const listed: Listed<JoorSkuLineItem> = { items: [], invalid: [] };
    for (const ids of chunk(orderIds, this.bulkMax)) {
      const page = await this.listOnce('/orders/sku_line_items', lineItemSchema, { order_ids: ids.join(',') });
      listed.items.push(...page.items);
      listed.invalid.push(...page.invalid);
    }
    return listed;
  }

  /** Writes the export status (Success, or Failed with the reason) that JOOR shows on the order page. */
  updateOrderExportStatus(items: JoorOrderExportUpdate[]): Promise<BulkResult<JoorOrderExportUpdate, JoorV4Order>> {
    return this.bulk('/orders/bulk_update', items, v4OrderSchema);
  }

  /**
   * One page of the v2 order feed. Always `sync=0`: with JOOR's default (sync=1) a read marks the
   * orders exported, and a crash before the ERP write would lose them.
   */
  async orderFeedPage(query: JoorOrderFeedQuery = {}): Promise<OrderFeedPage> {
    const startFrom = query.startFrom ?? 0;
    const res = await this.http.send({
      api: 'v2',
      method: 'GET',
      path: '/order/',
      query: {
        sync: 0,
        order_type: query.orderType,
        export_status: query.exportStatus,
        date_start: query.dateStart,
        date_end: query.dateEnd,
        customer_code: query.customerCode,
        order_id: query.orderId,
        start_from: startFrom,
        count: query.count ?? DEFAULTS.feedCount,
      },
    });
    // Any form: `orders` as a list, `{orders: {order: [...]}}`, one order unwrapped, `order` at the top, a bare array, or empty.
    const feed = readOrderFeed(res.body);
    if (!feed) throw malformed('/v2/order/', 'no orders list');
    return { ...validateAll(feedOrderSchema, feed.orders), startFrom, total: feed.total };
  }

  /**
   * The feed's pages, one after another (`start_from`/`count`). Where the feed ends is what JOOR
   * says (`total_count`), or an empty page when it does not say: a page shorter than the count asked
   * for may only mean JOOR caps pages lower, and the next page starts after the orders received.
   */
  async *orderFeedPages(query: Omit<JoorOrderFeedQuery, 'startFrom'> = {}): AsyncGenerator<OrderFeedPage> {
    const count = query.count ?? DEFAULTS.feedCount;
    for (let startFrom = 0; ;) {
      const page = await this.orderFeedPage({ ...query, count, startFrom });
      yield page;
      const seen = page.items.length + page.invalid.length;
      if (seen === 0) return;
      startFrom += seen;
      if (page.total !== null && startFrom >= page.total) return;
    }
  }

  /** Every order matching the query. */
  async orderFeed(query: Omit<JoorOrderFeedQuery, 'startFrom'> = {}): Promise<Listed<JoorFeedOrder>> {
    const listed: Listed<JoorFeedOrder> = { items: [], invalid: [] };
    for await (const page of this.orderFeedPages(query)) {
      listed.items.push(...page.items);
      listed.invalid.push(...page.invalid);
    }
    return listed;
  }

  // ---------- v2 inventory and customers ----------

  /** `POST /v2/bulk-inventory`, in calls of at most `inventoryBatch` rows; the answers in call order. */
  async bulkInventory(items: JoorInventoryItem[], options: { overwrite: boolean; decPending?: boolean }): Promise<JoorInventoryResponse[]> {
    // Without overwrite each row stands alone: calls keep the caller's order (so answers pair with rows by position).
    const batches: JoorInventoryItem[][] = options.overwrite ? this.styleBatches(items) : chunk(items, this.inventoryBatch);
    const responses: JoorInventoryResponse[] = [];
    for (const batch of batches) {
      const res = await this.http.send({
        api: 'v2',
        method: 'POST',
        path: '/bulk-inventory',
        query: { overwrite: options.overwrite ? 1 : 0, dec_pending: options.decPending ? 1 : 0 },
        body: { inventory_items: { inventory_item: batch } },
      });
      const parsed = inventoryResponseSchema.safeParse(res.body);
      if (!parsed.success) throw malformed('/v2/bulk-inventory', parsed.error.message);
      responses.push(parsed.data);
    }
    return responses;
  }

  /** Overwrite mode zeroes every SKU of a style a call leaves out, so calls are cut at style boundaries: a style's rows travel together. */
  private styleBatches(items: JoorInventoryItem[]): JoorInventoryItem[][] {
    const byStyle = new Map<string, JoorInventoryItem[]>();
    for (const item of items) {
      const key = `${item.warehouse}\u0000${item.style_identifier ?? item.style_number ?? item.upc ?? ''}`;
      byStyle.set(key, [...(byStyle.get(key) ?? []), item]);
    }
    const batches: JoorInventoryItem[][] = [];
    let current: JoorInventoryItem[] = [];
    for (const group of byStyle.values()) {
      if (current.length && current.length + group.length > this.inventoryBatch) {
        batches.push(current);
        current = [];
      }
      current.push(...group);
    }
    if (current.length) batches.push(current);
    return batches;
  }

  /** `POST /v2/bulk-connection`: new customers stay pending until JOOR matches them; known codes update. In calls of `connectionBatch`. */
  async bulkConnections(connections: JoorConnectionInput[]): Promise<JoorConnectionLog> {
    const log: JoorConnectionLog = { job_status: null, connection_log: [] };
    for (const batch of chunk(connections, this.connectionBatch)) {
      const job = await this.bulkConnectionJob(batch);
      log.job_status = job.job_status;
      log.connection_log.push(...job.connection_log);
    }
    return log;
  }

  /**
   * One `POST /v2/bulk-connection` call (at most `connectionBatch` customers): JOOR's answer as it came,
   * its log inline or only its job's id (see `readConnectionJob`).
   */
  async bulkConnectionJob(connections: JoorConnectionInput[]): Promise<JoorConnectionJob> {
    if (connections.length > this.connectionBatch) throw new Error(`one bulk-connection call takes at most ${this.connectionBatch} customers, got ${connections.length}`);
    const res = await this.http.send({ api: 'v2', method: 'POST', path: '/bulk-connection', body: { bulk_connections: { connection: connections.map(wireConnection) } } });
    const read = readConnectionJob(res.body);
    if (!read.ok) throw malformed('/v2/bulk-connection', read.problem);
    return read.job;
  }

  /** The matched customer with this code, or null (unknown, or still pending with JOOR's data team). */
  async connectionByCode(customerCode: string): Promise<JoorConnectionRecord | null> {
    const res = await this.http.send({ api: 'v2', method: 'GET', path: `/connection/customer_code/${encodeURIComponent(customerCode)}/`, accept: [404] });
    if (res.status === 404) return null;
    // `{connection: {...}}`, `{connections: {connection: {...}}}`, `{connections: [...]}` or the bare record; none in it: not found.
    const record = connectionOf(res.body);
    if (record === undefined) return null;
    const parsed = connectionSchema.safeParse(record);
    if (!parsed.success) throw malformed('/v2/connection', parsed.error.message);
    // A customer JOOR's data team has not matched yet is no connection, however JOOR chose to show it.
    if (parsed.data.connection_status !== null && /pending/i.test(parsed.data.connection_status)) return null;
    return parsed.data;
  }

  // ---------- plumbing ----------

  private async listOnce<R>(path: string, schema: Schema<R>, query: JoorRequest['query'] = {}): Promise<Listed<R>> {
    const res = await this.http.send({ api: 'v4', method: 'GET', path, query });
    const envelope = readV4Envelope(res.body);
    if (!envelope) throw malformed(`/v4${path}`, 'not a JSON object');
    return validateAll(schema, envelope.data);
  }

  private async listAll<R>(path: string, query: JoorRequest['query'], schema: Schema<R>): Promise<Listed<R>> {
    const listed: Listed<R> = { items: [], invalid: [] };
    for (let offset = 0; ; offset += DEFAULTS.listLimit) {
      const res = await this.http.send({ api: 'v4', method: 'GET', path, query: { ...query, limit: DEFAULTS.listLimit, offset } });
      // `data` as an array, one object or nothing; `meta` numbers possibly as text.
      const envelope = readV4Envelope(res.body);
      if (!envelope) throw malformed(`/v4${path}`, 'not a JSON object');
      const page = validateAll(schema, envelope.data);
      listed.items.push(...page.items);
      listed.invalid.push(...page.invalid);
      const total = envelope.meta.total;
      const seen = envelope.data.length;
      if (seen < DEFAULTS.listLimit || (total !== null && offset + seen >= total)) return listed;
    }
  }

  private async listByIds<R>(path: string, param: string, ids: Array<string | number>, schema: Schema<R>): Promise<Listed<R>> {
    const listed: Listed<R> = { items: [], invalid: [] };
    for (const part of chunk(ids, DEFAULTS.idsPerQuery)) {
      const page = await this.listAll(path, { [param]: part.join(',') }, schema);
      listed.items.push(...page.items);
      listed.invalid.push(...page.invalid);
    }
    return listed;
  }

  /**
   * A v4 bulk call over any number of items, cut to JOOR's maximum per call. `groupOf` keeps
   * items that must travel together (replace_all per product) in one call.
   */
  private async bulk<I extends object, R extends { id: string; external_id?: string | null }>(
    path: string,
    items: I[],
    schema: Schema<R>,
    query: JoorRequest['query'] = {},
    groupOf?: (item: I) => string,
  ): Promise<BulkResult<I, R>> {
    const result = emptyResult<I, R>();
    const parse = parser(schema);
    // A DUPLICATED create resolves to the existing record; a DUPLICATED update is a clash with another record, a failure.
    const duplicatedIsOk = !/\/bulk_update$/.test(path);
    for (const { indexes, batch } of this.batches(items, groupOf)) {
      const res = await this.http.send({ api: 'v4', method: 'POST', path, query, body: batch });
      const envelope = readV4Envelope(res.body);
      if (!envelope) throw malformed(`/v4${path}`, 'not a JSON object');
      mergeInto(result, pairBulkResponse(batch, envelope.data, itemErrors(envelope.errors), parse, { duplicatedIsOk }), (i) => indexes[i]);
    }
    return result;
  }

  private batches<I>(items: I[], groupOf?: (item: I) => string): Array<{ indexes: number[]; batch: I[] }> {
    const entries = items.map((item, index) => ({ item, index }));
    if (!groupOf) return chunk(entries, this.bulkMax).map((call) => ({ indexes: call.map((e) => e.index), batch: call.map((e) => e.item) }));
    // Grouped: each group travels whole in one call (a group larger than the maximum is cut, as it must be).
    const groups = new Map<string, typeof entries>();
    for (const entry of entries) groups.set(groupOf(entry.item), [...(groups.get(groupOf(entry.item)) ?? []), entry]);
    const calls: Array<typeof entries> = [];
    let current: typeof entries = [];
    for (const group of groups.values()) {
      for (const part of chunk(group, this.bulkMax)) {
        if (current.length && current.length + part.length > this.bulkMax) {
          calls.push(current);
          current = [];
        }
        current.push(...part);
      }
    }
    if (current.length) calls.push(current);
    return calls.map((call) => ({ indexes: call.map((e) => e.index), batch: call.map((e) => e.item) }));
  }
}

function malformed(path: string, problem: string): JoorMalformedResponseError {
  return new JoorMalformedResponseError(`JOOR ${path} answered with an unexpected body: ${problem.slice(0, 300)}`);
}

/** A customer as v2 writes lists (XML-born): ship-to addresses wrapped as `shipping_addresses.shipping_address[]`. */
function wireConnection(connection: JoorConnectionInput): Record<string, unknown> {
  const { shipping_addresses: addresses, ...rest } = connection;
  return addresses?.length ? { ...rest, shipping_addresses: { shipping_address: addresses } } : rest;
}
