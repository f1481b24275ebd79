/**
 * The dialects of the sandbox's API edge (`JOOR_SANDBOX_ID_STYLE`, `JOOR_SANDBOX_V2_ENVELOPE`).
 * The store and the services always work with numeric ids and plain lists; this module turns
 * what comes in and what goes out into the chosen dialect. Pure: no Nest, no SQL.
 *
 * - **Opaque ids**: every id the v4 and v2 API shows is base64 of `<Type>:<n>` (JOOR's ids are
 *   opaque strings; a public client ships its trait ids as base64 of `SKUTrait:StyleColor` and
 *   `SKUTrait:Size`). Only those forms are taken back: a number, a digit string or an id of
 *   another type is not an id here.
 * - **Wrapped v2**: answers as XML-converted JSON: lists wrapped in an element named after their
 *   items, a list of one unwrapped, an empty list `""`, every number as text.
 */

import { COLOR_TRAIT_ID, SIZE_TRAIT_ID } from './traits';

export type IdType = 'Product' | 'SKU' | 'Price' | 'PriceType' | 'Collection' | 'Asset' | 'Season' | 'Order' | 'Category' | 'InventoryLog' | 'SKUTrait';

/** JOOR's own trait ids (base64 of `SKUTrait:StyleColor` and `SKUTrait:Size`). */
export const OPAQUE_TRAIT_IDS: Readonly<Record<number, string>> = {
  [COLOR_TRAIT_ID]: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==',
  [SIZE_TRAIT_ID]: 'U0tVVHJhaXQ6U2l6ZQ==',
};

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The opaque id of an internal one (`Product`, 42 -> base64 of `Product:42`). */
export function encodeId(type: IdType, raw: string | number): string {
  if (type === 'SKUTrait') return OPAQUE_TRAIT_IDS[Number(raw)] ?? base64(`SKUTrait:${raw}`);
  return base64(`${type}:${raw}`);
}

/** The internal id (as text) an opaque id stands for, or null when `value` is no opaque id of that type. */
export function decodeId(type: IdType, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (type === 'SKUTrait') {
    const found = Object.entries(OPAQUE_TRAIT_IDS).find(([, opaque]) => opaque === value);
    return found ? found[0] : null;
  }
  // Only the canonical form: decoding must give `<Type>:<rest>` and encoding that back must give the same text.
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (base64(decoded) !== value || !decoded.startsWith(`${type}:`)) return null;
  const rest = decoded.slice(type.length + 1);
  return rest === '' ? null : rest;
}

/**
 * What an id the sandbox does not take becomes inside: text that is no internal id of any kind
 * (so the services refuse it as they refuse any bad id: INVALID "must be a JOOR id", NOT_FOUND, or a 400 for a query).
 */
export function notAnId(type: IdType, value: unknown): string {
  return `not an opaque ${type} id: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
}

// ---------- which fields hold ids ----------

/** Fields holding one id of a fixed type, wherever they appear. */
const ID_FIELDS: Readonly<Record<string, IdType>> = {
  product_id: 'Product',
  sku_id: 'SKU',
  price_type_id: 'PriceType',
  season_id: 'Season',
  order_id: 'Order',
  trait_id: 'SKUTrait',
  inventory_log_id: 'InventoryLog',
};
/** Fields holding a list of ids. */
const ID_LIST_FIELDS: Readonly<Record<string, IdType>> = { sku_ids: 'SKU' };
/** Objects whose `id` is of another type than the route's (`{product: {id}}` of an asset). */
const TYPED_OBJECTS: Readonly<Record<string, IdType>> = { product: 'Product' };
/** Containers searched for ids (with the route's type for `id`); anything else (client data such as `product_trait_values`) is left alone. */
const CONTAINERS = new Set(['data', 'errors', 'details', 'items', 'trait_values', 'orders', 'line_items', 'inventory_log']);

/** The type of a bare `id` under each v4 path (`/v4/products...` -> Product). */
const V4_RESOURCES: ReadonlyArray<[RegExp, IdType]> = [
  [/^\/v4\/products(\/|$)/, 'Product'],
  [/^\/v4\/skus(\/|$)/, 'SKU'],
  [/^\/v4\/prices(\/|$)/, 'Price'],
  [/^\/v4\/price_types(\/|$)/, 'PriceType'],
  [/^\/v4\/seasons(\/|$)/, 'Season'],
  [/^\/v4\/traits(\/|$)/, 'SKUTrait'],
  [/^\/v4\/categories(\/|$)/, 'Category'],
  [/^\/v4\/collections(\/|$)/, 'Collection'],
  [/^\/v4\/assets(\/|$)/, 'Asset'],
  [/^\/v4\/orders(\/|$)/, 'Order'],
  [/^\/v2\/order(\/|$)/, 'Order'],
];

/** Query parameters holding ids (comma-separated lists included); `ids` takes the route's type. */
const QUERY_ID_FIELDS: Readonly<Record<string, IdType | 'route'>> = {
  ids: 'route',
  product_ids: 'Product',
  sku_ids: 'SKU',
  order_ids: 'Order',
  price_type_id: 'PriceType',
  order_id: 'Order',
};

export function resourceOf(path: string): IdType | null {
  return V4_RESOURCES.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

type IdMapper = (type: IdType, value: unknown) => unknown;

/** Applies `map` to every id field of `value` (see the tables above); a bare `id` has type `resource`. */
export function mapIds(value: unknown, resource: IdType | null, map: IdMapper): unknown {
  if (Array.isArray(value)) return value.map((item) => mapIds(item, resource, map));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const present = field !== null && field !== undefined;
    if (key === 'id' && resource && present) out[key] = map(resource, field);
    else if (key in ID_FIELDS && present) out[key] = map(ID_FIELDS[key], field);
    else if (key in ID_LIST_FIELDS && Array.isArray(field)) out[key] = field.map((id) => (id === null || id === undefined ? id : map(ID_LIST_FIELDS[key], id)));
    else if (key in TYPED_OBJECTS) out[key] = mapIds(field, TYPED_OBJECTS[key], map);
    else if (CONTAINERS.has(key)) out[key] = mapIds(field, resource, map);
    else out[key] = field;
  }
  return out;
}

const encodeAny: IdMapper = (type, value) => (typeof value === 'number' || typeof value === 'string' ? encodeId(type, value) : value);
const decodeAny: IdMapper = (type, value) => decodeId(type, value) ?? notAnId(type, value);

/** An answer with opaque ids. */
export function encodeIds(path: string, body: unknown): unknown {
  return mapIds(body, resourceOf(path), encodeAny);
}

/** A request body with internal ids (an id not of the sandbox's opaque form becomes `notAnId`). */
export function decodeBodyIds(path: string, body: unknown): unknown {
  return mapIds(body, resourceOf(path), decodeAny);
}

/** A query string's id parameters with internal ids; each entry of a comma-separated list is decoded on its own. */
export function decodeQueryIds(path: string, query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  for (const [name, kind] of Object.entries(QUERY_ID_FIELDS)) {
    const raw = query[name];
    if (typeof raw !== 'string' || raw === '') continue;
    const type = kind === 'route' ? resourceOf(path) : kind;
    if (!type) continue;
    out[name] = raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => decodeId(type, part) ?? notAnId(type, part))
      .join(',');
  }
  return out;
}

// ---------- wrapped v2 ----------

/** A list as an XML converter writes it: none `""`, one `{<key>: item}`, more `{<key>: [...]}`. */
export function wrapList(items: unknown[], key: string): unknown {
  if (items.length === 0) return '';
  return { [key]: items.length === 1 ? items[0] : items };
}

/** Every number, however deep, as its text. */
export function numbersAsText(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(numbersAsText);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, field]) => [key, numbersAsText(field)]));
}

type Rec = Record<string, any>;

/**
 * A v2 answer in the wrapped dialect:
 * - `GET /v2/order/`: `{orders: {order: [...]}}` (one order: `{orders: {order: {...}}}`, none: `{orders: ""}`),
 *   each order's `line_items: {line_item: [...]}` likewise;
 * - `POST|PUT /v2/bulk-inventory`: `inventory_log: {inventory_log_item: [...]}`;
 * - `POST /v2/bulk-connection`: `connection_log: {connection: [...]}`;
 * - `GET /v2/connection/customer_code/{code}/`: `{connections: {connection: {...}}}`;
 * and every number as text.
 */
export function wrapV2(path: string, body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Rec;
  let shaped: Rec = b;
  if (/^\/v2\/order\/?$/.test(path) && Array.isArray(b.orders)) {
    shaped = {
      ...b,
      orders: wrapList(
        b.orders.map((order: Rec) => ({ ...order, line_items: wrapList(Array.isArray(order.line_items) ? order.line_items : [], 'line_item') })),
        'order',
      ),
    };
  } else if (/^\/v2\/bulk-inventory\/?$/.test(path) && Array.isArray(b.inventory_log)) {
    shaped = { ...b, inventory_log: wrapList(b.inventory_log, 'inventory_log_item') };
  } else if (/^\/v2\/bulk-connection\/?$/.test(path) && Array.isArray(b.connection_log)) {
    shaped = { ...b, connection_log: wrapList(b.connection_log, 'connection') };
  } else if (/^\/v2\/connection\/customer_code\//.test(path) && 'connection' in b) {
    const { connection, ...rest } = b;
    shaped = { ...rest, connections: { connection } };
  }
  return numbersAsText(shaped);
}
