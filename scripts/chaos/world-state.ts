/**
 * The whole end state of both sandboxes, free of sandbox ids, so that a clean run and a faulted run
 * of the same workload can be compared. Sandbox ids follow creation order and differ between runs:
 * every record is keyed by its natural key, and every reference to another record carries that
 * record's natural key instead of its id.
 *
 * Read it when nothing is syncing: the routes are read side by side, not in one transaction.
 */
import Decimal from 'decimal.js';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}
export type Section = Record<string, JsonObject>;

export interface WorldState {
  joor: {
    products: Section;
    skus: Section;
    prices: Section;
    collections: Section;
    assets: Section;
    inventory: Section;
    customers: Section;
    orders: Section;
  };
  /** AMC orders per JOOR order id they carry (`(no joor_id)` for the others): more than one under an id is a duplicate. */
  amc: { orders: Record<string, JsonObject[]> };
}

export interface WorldDiff {
  equal: boolean;
  /** Entities that differ (missing, extra or changed). */
  count: number;
  lines: string[];
}

type Row = Record<string, any>;

/** What the sandboxes' `/_sandbox/state/...` routes answer, as read. */
export interface RawWorld {
  joor: { products: Row[]; skus: Row[]; prices: Row[]; collections: Row[]; assets: Row[]; inventory: Row[]; connections: Row[]; orders: Row[] };
  amc: { orders: Row[] };
}

const JOOR_ROUTES = ['products', 'skus', 'prices', 'collections', 'assets', 'inventory', 'connections', 'orders'] as const;

// The JOOR sandbox's trait ids (apps/joor-sandbox/src/shared/traits.ts), stored internal; the opaque
// forms are accepted too, in case a record kept the id as a client sent it.
const COLOR_TRAIT_IDS = new Set(['1001', 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==']);
const SIZE_TRAIT_IDS = new Set(['1002', 'U0tVVHJhaXQ6U2l6ZQ==']);

const NO_JOOR_ID = '(no joor_id)';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_FIELDS_PER_LINE = 4;
const MAX_VALUE_CHARS = 60;

// ---------- reading ----------

export async function readWorldState(amcUrl: string, joorUrl: string): Promise<WorldState> {
  return buildWorldState(await readRawWorld(amcUrl, joorUrl), { amcUrl });
}

/** The state routes, free of credits and never faulted. Inventory without `?warehouse=` is every warehouse's. */
export async function readRawWorld(amcUrl: string, joorUrl: string): Promise<RawWorld> {
  const joorBase = joorUrl.replace(/\/+$/, '');
  const [joorLists, amcOrders] = await Promise.all([
    Promise.all(JOOR_ROUTES.map((route) => getList(`${joorBase}/_sandbox/state/${route}`))),
    getList(`${amcUrl.replace(/\/+$/, '')}/_sandbox/state/orders`),
  ]);
  const joor = Object.fromEntries(JOOR_ROUTES.map((route, i) => [route, joorLists[i]])) as RawWorld['joor'];
  return { joor, amc: { orders: amcOrders } };
}

async function getList(url: string): Promise<Row[]> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as unknown;
  if (!Array.isArray(body)) throw new Error(`GET ${url} answered no list: ${text.slice(0, 200)}`);
  return body as Row[];
}

// ---------- normalising (pure) ----------

/**
 * The id-free state of what the routes answered. `amcUrl` makes asset URLs that point at the AMC
 * sandbox's images relative to it (`<amc>/images/...`), as two runs may put AMC on two ports.
 */
export function buildWorldState(raw: RawWorld, options: { amcUrl?: string } = {}): WorldState {
  const amcBase = options.amcUrl ? new URL(options.amcUrl) : null;
  const products = withUniqueKeys(byId(raw.joor.products), productKey);
  const productKeys = keysById(products);
  const skus = withUniqueKeys(byId(raw.joor.skus), (row) => skuKey(row, refOf(productKeys, 'product', row.product_id)));
  const skuKeys = keysById(skus);
  const product = (id: unknown) => refOf(productKeys, 'product', id);
  const sku = (id: unknown) => refOf(skuKeys, 'sku', id);
  const amcOrders = amcOrdersByJoorId(raw.amc.orders);
  const amcOrderRefs = amcOrderRefsById(amcOrders);

  return {
    joor: {
      products: section(products, (row) => omit(row, ['id', 'created_at', 'updated_at'])),
      skus: section(skus, (row) => ({ ...omit(row, ['id', 'product_id', 'created_at', 'updated_at']), product: product(row.product_id) })),
      prices: section(
        withUniqueKeys(byId(raw.joor.prices), (row) => `${sku(row.sku_id)}@${row.price_type_id}`),
        (row) => ({ ...omit(row, ['id', 'sku_id', 'updated_at']), sku: sku(row.sku_id), wholesale_value: decimalText(row.wholesale_value), retail_value: decimalText(row.retail_value) }),
      ),
      collections: section(withUniqueKeys(byId(raw.joor.collections), collectionKey), (row) => collection(row, product, sku)),
      assets: section(
        withUniqueKeys(byId(raw.joor.assets), (row) => assetKey(row, product(row.product_id), amcBase)),
        // external_id is the media sync's hash over the image URL, so it follows AMC's address: the URL itself is kept instead.
        (row) => ({ ...omit(row, ['id', 'product_id', 'external_id', 'created_at']), product: product(row.product_id), source_url: amcRelative(row.source_url, amcBase) }),
      ),
      inventory: section(
        withUniqueKeys(raw.joor.inventory, (row) => inventoryKey(row, skuKeys)),
        (row) => ({ ...omit(row, ['sku_id', 'updated_at']), sku: sku(row.sku_id) }),
      ),
      customers: section(
        withUniqueKeys(raw.joor.connections, (row) => String(row.customer_code)),
        (row) => omit(row, ['created_at', 'updated_at']),
      ),
      orders: section(
        withUniqueKeys(raw.joor.orders, (row) => String(row.order_id)),
        (row) => joorOrder(row, amcOrderRefs),
      ),
    },
    amc: { orders: Object.fromEntries([...amcOrders.entries()].sort(([a], [b]) => compareText(a, b)).map(([joorId, orders]) => [joorId, orders.map(amcOrder)])) },
  };
}

function productKey(row: Row): string {
  return row.external_id ? String(row.external_id) : `(no external_id) ${row.product_identifier}`;
}

/** Style / color / size: JOOR keeps one SKU per color and size of a product. */
function skuKey(row: Row, product: string): string {
  const traits = Array.isArray(row.trait_values) ? (row.trait_values as Row[]) : [];
  const color = traits.find((t) => COLOR_TRAIT_IDS.has(String(t?.trait_id)))?.value;
  const size = traits.find((t) => SIZE_TRAIT_IDS.has(String(t?.trait_id)))?.value;
  return color !== undefined && size !== undefined ? `${product}/${color}/${size}` : `${product}/${row.external_id ?? row.sku_identifier}`;
}

function collectionKey(row: Row): string {
  return row.external_id ? String(row.external_id) : `(no external_id) ${row.name}`;
}

function assetKey(row: Row, product: string, amcBase: URL | null): string {
  const target = row.color_external_id ? `${row.level}:${row.color_external_id}` : String(row.level);
  return `${product}|${target}|${amcRelative(row.source_url, amcBase)}`;
}

/** Warehouse / SKU / inventory date (JOOR's key of a stock row, its SKU by natural key). */
function inventoryKey(row: Row, skuKeys: Map<string, string>): string {
  const sku = skuKeys.get(String(row.sku_id)) ?? `${row.style_identifier}/${row.color}/${row.size}`;
  return `${row.warehouse}|${sku}|${row.inventory_date}`;
}

/** Linesheet membership as sorted product keys: the order the integration lists products in follows its link table, not AMC. */
function collection(row: Row, product: (id: unknown) => string, sku: (id: unknown) => string): Row {
  const items = Array.isArray(row.items) ? (row.items as Row[]) : [];
  const out: Row = { ...omit(row, ['id', 'items', 'created_at', 'updated_at']), products: items.map((item) => product(item.product_id)).sort(compareText) };
  const chosen = items.filter((item) => Array.isArray(item.sku_ids) && item.sku_ids.length > 0);
  if (chosen.length > 0) out.skus = Object.fromEntries(chosen.map((item) => [product(item.product_id), (item.sku_ids as unknown[]).map(sku).sort(compareText)]));
  return out;
}

/**
 * A JOOR order without the times it was modified and exported (a SKU going inactive stamps open
 * orders with "now"); whether the feed handed it out stays, as a flag.
 */
function joorOrder(row: Row, amcOrderRefs: Map<string, string>): Row {
  return {
    ...omit(row, ['date_modified', 'date_exported', 'sync_requested_at']),
    sync_requested: row.sync_requested_at !== null && row.sync_requested_at !== undefined,
    export_description: withAmcOrderRefs(row.export_description, amcOrderRefs),
  };
}

/** The success description names the AMC order by its id: named by the JOOR id it carries instead. */
function withAmcOrderRefs(description: unknown, amcOrderRefs: Map<string, string>): unknown {
  if (typeof description !== 'string') return description;
  return description.replace(/\bsales order (\d+)/g, (_, id: string) => `sales order ${amcOrderRefs.get(id) ?? '<unknown AMC order>'}`);
}

function amcOrdersByJoorId(orders: Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const order of [...orders].sort((a, b) => compareIds(a.order_id, b.order_id))) {
    const joorId = order.joor_id ? String(order.joor_id) : NO_JOOR_ID;
    out.set(joorId, [...(out.get(joorId) ?? []), order]);
  }
  return out;
}

function amcOrderRefsById(byJoorId: Map<string, Row[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [joorId, orders] of byJoorId) orders.forEach((order, i) => out.set(String(order.order_id), `<AMC order of JOOR ${joorId}${i > 0 ? ` #${i + 1}` : ''}>`));
  return out;
}

/** An AMC order without its ids and stamp, with its total (AMC keeps none: the sum of the line amounts). */
function amcOrder(row: Row): JsonObject {
  const items = Array.isArray(row.order_items) ? (row.order_items as Row[]) : [];
  return normalise({
    ...omit(row, ['order_id', 'last_modified_time']),
    order_items: items.map((item) => omit(item, ['id', 'order_id'])),
    total: sumAmounts(items.map((item) => item.amount)),
  }) as JsonObject;
}

function sumAmounts(amounts: unknown[]): string {
  try {
    return amounts.reduce<Decimal>((total, amount) => total.plus(new Decimal(String(amount))), new Decimal(0)).toFixed(2);
  } catch {
    return `not a sum: ${JSON.stringify(amounts)}`;
  }
}

/** Relative to the AMC sandbox when the URL points at it (any loopback name for the same port). */
function amcRelative(url: unknown, amcBase: URL | null): unknown {
  if (typeof url !== 'string' || !amcBase) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const sameHost = parsed.hostname === amcBase.hostname || (LOOPBACK_HOSTS.has(parsed.hostname) && LOOPBACK_HOSTS.has(amcBase.hostname));
  return sameHost && parsed.port === amcBase.port && parsed.protocol === amcBase.protocol ? `<amc>${parsed.pathname}${parsed.search}` : url;
}

// ---------- keys and records ----------

/** Each row with its key; a key met again gets `#2`, `#3`... (in creation order), so a duplicate shows as a difference. */
function withUniqueKeys(rows: Row[], keyOf: (row: Row) => string): Array<[string, Row]> {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const key = keyOf(row);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return [n === 1 ? key : `${key}#${n}`, row];
  });
}

function keysById(entries: Array<[string, Row]>): Map<string, string> {
  return new Map(entries.map(([key, row]) => [String(row.id), key]));
}

/** A dangling reference shows without its id, so that it compares equal only to another dangling one. */
function refOf(keys: Map<string, string>, what: string, id: unknown): string {
  return keys.get(String(id)) ?? `<unknown ${what}>`;
}

function section(entries: Array<[string, Row]>, record: (row: Row) => Row): Section {
  return Object.fromEntries(entries.map(([key, row]) => [key, normalise(record(row)) as JsonObject]).sort(([a], [b]) => compareText(a as string, b as string)));
}

function byId(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => compareIds(a.id, b.id));
}

function omit(row: Row, fields: string[]): Row {
  const out: Row = { ...row };
  for (const field of fields) delete out[field];
  return out;
}

/** Prices as text, as JOOR shows them ("12.50", never 12.5). */
function decimalText(value: unknown): unknown {
  return typeof value === 'number' ? value.toFixed(2) : value;
}

/** Plain JSON with object keys sorted (undefined dropped, as JSON would). */
function normalise(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const entries = Object.entries(value as Row).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => compareText(a, b)).map(([k, v]) => [k, normalise(v)]));
  }
  if (typeof value === 'bigint') return value.toString();
  return value as Json;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Numeric ids in numeric order, anything else after them as text. */
function compareIds(a: unknown, b: unknown): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return compareText(String(a), String(b));
}

// ---------- comparing (pure) ----------

export function amcOrderCountsByJoorId(state: WorldState): Map<string, number> {
  return new Map(Object.entries(state.amc.orders).map(([joorId, orders]) => [joorId, orders.length]));
}

/** Every entity that differs, one line each (`joor.skus "STY-001/Red/M": missing`), at most `limit` lines and a "... and N more". */
export function diffWorldStates(expected: WorldState, actual: WorldState, limit = 20): WorldDiff {
  const all = sectionNames(expected, actual).flatMap(([name, exp, act]) => diffSection(name, exp, act));
  const lines = all.length > limit ? [...all.slice(0, limit), `... and ${all.length - limit} more`] : all;
  return { equal: all.length === 0, count: all.length, lines };
}

function sectionNames(expected: WorldState, actual: WorldState): Array<[string, Record<string, Json>, Record<string, Json>]> {
  const joor = (Object.keys(expected.joor) as Array<keyof WorldState['joor']>).map((name): [string, Record<string, Json>, Record<string, Json>] => [
    `joor.${name}`,
    expected.joor[name],
    actual.joor[name] ?? {},
  ]);
  return [...joor, ['amc.orders', expected.amc.orders, actual.amc.orders ?? {}]];
}

function diffSection(name: string, expected: Record<string, Json>, actual: Record<string, Json>): string[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort(compareText);
  const out: string[] = [];
  for (const key of keys) {
    const label = `${name} ${JSON.stringify(key)}`;
    if (!Object.hasOwn(actual, key)) out.push(`${label}: missing`);
    else if (!Object.hasOwn(expected, key)) out.push(`${label}: extra`);
    else {
      const fields = fieldDiffs(expected[key], actual[key], '');
      if (fields.length > 0) out.push(`${label}: ${fields.slice(0, MAX_FIELDS_PER_LINE).join('; ')}${fields.length > MAX_FIELDS_PER_LINE ? `; (+${fields.length - MAX_FIELDS_PER_LINE} more)` : ''}`);
    }
  }
  return out;
}

/** The differing fields of two values, by path (`order_items[0].qty "2" != "3"`); a top-level list of another length is its count. */
function fieldDiffs(expected: Json | undefined, actual: Json | undefined, path: string): string[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === actual.length) return expected.flatMap((item, i) => fieldDiffs(item, actual[i], `${path}[${i}]`));
    if (!path) return [`count ${expected.length} != ${actual.length}`];
    if ([...expected, ...actual].every((item) => item === null || typeof item !== 'object')) return [`${path} ${listChange(expected, actual)}`];
    return [`${path} ${expected.length} items != ${actual.length} items`];
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort(compareText);
    return keys.flatMap((key) => fieldDiffs(Object.hasOwn(expected, key) ? expected[key] : undefined, Object.hasOwn(actual, key) ? actual[key] : undefined, path ? `${path}.${key}` : key));
  }
  if (expected === actual) return [];
  return [`${path || 'value'} ${render(expected)} != ${render(actual)}`];
}

/** What a list of plain values lacks and has extra, as multisets. */
function listChange(expected: Json[], actual: Json[]): string {
  const left = expected.map((item) => JSON.stringify(item));
  const extra: string[] = [];
  for (const item of actual.map((value) => JSON.stringify(value))) {
    const at = left.indexOf(item);
    if (at >= 0) left.splice(at, 1);
    else extra.push(item);
  }
  return [left.length ? `lacks ${clip(left.join(', '))}` : null, extra.length ? `has extra ${clip(extra.join(', '))}` : null].filter(Boolean).join(', ');
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function render(value: Json | undefined): string {
  return value === undefined ? '(absent)' : clip(JSON.stringify(value));
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}
