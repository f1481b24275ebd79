import { z } from 'zod';
import { isBlank, isPlainObject, listOf } from './list-of';

/**
 * What JOOR sends back, checked record by record (a bad record is reported, never a crash).
 *
 * Read tolerantly (see /work/shared/reference/joor-api.md, "Identifiers and envelopes"): ids are
 * opaque, numbers may come as numeric strings, lists in any XML-born form (`listOf`), and extra
 * fields never fail a record.
 */

// ---------- field readers ----------

/**
 * A JOOR id: opaque. Any non-blank string (e.g. `U0tVVHJhaXQ6U3R5bGVDb2xvcg==`) or a positive
 * integer, always read as a string. Never require digits, never turn an id into a number.
 */
export const joorId = z
  .union([z.number().int().positive(), z.string().trim().min(1, 'must not be empty')], { error: 'must be a JOOR id (a non-empty string or a positive integer)' })
  .transform(String);

/** An id that may be missing (absent, null or an empty element): null then. */
export const optionalJoorId = z.preprocess((value) => (isBlank(value) ? null : value), joorId.nullable()).transform((value) => value ?? null);

/** The id as a string, or null when `value` is not a readable JOOR id. */
export function normaliseJoorId(value: unknown): string | null {
  const parsed = joorId.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Free text that may be missing; a number or boolean (an XML converter's guess) is read as its text. An empty element (`{}`) is null. */
const text = z
  .preprocess(
    (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : isPlainObject(value) && Object.keys(value).length === 0 ? null : value),
    z.string().nullable().optional(),
  )
  .transform((value) => value ?? null);

/** Text that must be there (a code, a currency); numbers are read as their text. */
const requiredText = z.union([z.string(), z.number().transform(String)]);

/** A whole number, as a number or a numeric string ("12"). */
const count = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number),
]);
const optionalCount = z.preprocess((value) => (isBlank(value) ? null : value), count.nullable()).transform((value) => value ?? null);

/** Money: a decimal string ("100.00") as JOOR writes it, or a number (written with 2 decimals). */
const decimal = z.union([
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal'),
  z.number().transform((value) => value.toFixed(2)),
]);
const optionalDecimal = z.preprocess((value) => (isBlank(value) ? null : value), decimal.nullable()).transform((value) => value ?? null);

/** A list in any form `listOf` reads (`[...]`, `{<itemKey>: [...]}`, one object, empty). */
function listSchema<T extends z.ZodType>(item: T, ...itemKeys: string[]) {
  return z.preprocess((value) => listOf(value, ...itemKeys), z.array(item));
}

// ---------- v4 records ----------

export const productSchema = z.object({
  id: joorId,
  external_id: text,
  name: z.string(),
  product_identifier: text,
  description: text,
});
export type JoorProduct = z.infer<typeof productSchema>;

export const traitValueSchema = z.object({ trait_id: joorId, value: requiredText, external_id: text });

export const skuSchema = z.object({
  id: joorId,
  product_id: joorId,
  external_id: text,
  sku_identifier: text,
  // Upper-cased ("Active" reads as ACTIVE); absent when JOOR does not say (the writer needs only the id).
  status: z
    .preprocess((value) => (typeof value === 'string' ? value.trim().toUpperCase() : isBlank(value) ? null : value), z.enum(['ACTIVE', 'INACTIVE']).nullable())
    .optional()
    .transform((value) => value ?? null),
  trait_values: listSchema(traitValueSchema, 'trait_value').default([]),
  identifiers: listSchema(z.object({ type: z.string(), value: requiredText }), 'identifier').default([]),
});
export type JoorSku = z.infer<typeof skuSchema>;

export const priceSchema = z.object({
  id: joorId,
  sku_id: joorId,
  price_type_id: joorId,
  currency_code: text,
  wholesale_value: decimal,
  retail_value: optionalDecimal,
});
export type JoorPrice = z.infer<typeof priceSchema>;

export const priceTypeSchema = z.object({
  id: joorId,
  name: z.string(),
  currency_code: z.string(),
  retail_currency_code: text,
});
export type JoorPriceTypeRecord = z.infer<typeof priceTypeSchema>;

export const seasonSchema = z.object({ id: joorId, name: z.string(), code: text });
export type JoorSeasonRecord = z.infer<typeof seasonSchema>;

export const traitSchema = z.object({ id: joorId, name: z.string() });
export type JoorTrait = z.infer<typeof traitSchema>;

export const collectionSchema = z.object({
  id: joorId,
  external_id: text,
  name: z.string(),
  season_id: optionalJoorId,
  delivery: z.unknown().optional(),
  items: listSchema(z.object({ product_id: joorId, order_number: optionalCount, sku_ids: listSchema(joorId, 'sku_id').default([]) }), 'item').default([]),
  /**
   * False for linesheets made by hand in JOOR, where JOOR says so (our sandbox does; the public record
   * does not show it, so it is optional: the integration only ever writes linesheets it created itself).
   */
  created_by_api: z
    .preprocess(
      (value) => (value === 'true' || value === '1' || value === 1 ? true : value === 'false' || value === '0' || value === 0 ? false : isBlank(value) ? null : value),
      z.boolean().nullable(),
    )
    .optional()
    .transform((value) => value ?? null),
});
export type JoorCollection = z.infer<typeof collectionSchema>;

export const assetSchema = z.object({
  id: joorId,
  external_id: text,
  product_id: joorId,
  type: z.string(),
  filename: z.string(),
  source_url: z.string(),
  display_order: optionalCount.optional(),
  // Where the asset hangs, when JOOR says: 'product' or 'color' (a color-level asset names its color's external id).
  level: text,
  color_external_id: text,
});
export type JoorAsset = z.infer<typeof assetSchema>;

export const v4OrderSchema = z.object({
  id: joorId,
  status: z.string(),
  export_status: text,
  export_description: text,
  exported_on: text,
});
export type JoorV4Order = z.infer<typeof v4OrderSchema>;

export const lineItemSchema = z.object({
  order_id: joorId,
  sku_id: optionalJoorId,
  product_id: optionalJoorId,
  style_identifier: text,
  color_code: text,
  size: text,
  upc: text,
  quantity: count,
  price: decimal,
  retail_price: optionalDecimal,
});
export type JoorSkuLineItem = z.infer<typeof lineItemSchema>;

// ---------- v2 order feed ----------

/**
 * A line of a v2 feed order. Public readers show `item_unit_price` where our fixture has
 * `item_price`: `item_price` is normalised to `item_price ?? item_unit_price` (both stay readable).
 */
export const feedOrderLineSchema = z
  .object({
    item_number: text,
    item_style_identifier: text,
    /** JOOR's style id (opaque). */
    item_style_id: optionalJoorId,
    item_color: text,
    item_color_code: text,
    item_upc: text,
    item_size: text,
    item_size_code: text,
    item_price: optionalDecimal,
    item_unit_price: optionalDecimal,
    item_retail_price: optionalDecimal,
    item_quantity: count,
  })
  .passthrough()
  .transform((line, ctx) => {
    const price = line.item_price ?? line.item_unit_price;
    if (price === null) {
      ctx.addIssue({ code: 'custom', path: ['item_price'], message: 'item_price or item_unit_price is required' });
      return z.NEVER;
    }
    return { ...line, item_price: price };
  });
export type JoorFeedOrderLine = z.infer<typeof feedOrderLineSchema>;

/**
 * An order of the v2 feed. Beyond the fields the mapping reads, the fields public readers show are
 * typed here; any other field (more `shipping_*`/`billing_*` ones, say) is kept as JOOR sent it.
 */
export const feedOrderSchema = z
  .object({
    order_id: joorId,
    /** The sandbox's status name (Pending, Approved, Shipped, ...). */
    order_status: text,
    /** In the record, a status code as text: "4" Approved, "3" Pending (not the feed's query codes). */
    order_type: text,
    order_type_name: text,
    order_currency: requiredText,
    order_total: decimal,
    order_discount: optionalDecimal,
    order_shipping_total: optionalDecimal,
    order_season_code: text,
    order_delivery_code: text,
    date_created: text,
    date_approved: text,
    date_modified: text,
    date_ship_start: text,
    date_ship_end: text,
    customer_code: requiredText,
    customer_name: text,
    customer_purchase_order: text,
    warehouse_name: text,
    warehouse_code: text,
    shipping_name: text,
    shipping_address_1: text,
    shipping_address_2: text,
    shipping_city: text,
    shipping_state: text,
    shipping_postal_code: text,
    shipping_zip: text,
    shipping_country: text,
    billing_name: text,
    billing_address_1: text,
    billing_address_2: text,
    billing_city: text,
    billing_state: text,
    billing_postal_code: text,
    billing_zip: text,
    billing_country: text,
    export_status: text,
    export_description: text,
    date_exported: text,
    line_items: listSchema(feedOrderLineSchema, 'line_item'),
  })
  .passthrough();
export type JoorFeedOrder = z.infer<typeof feedOrderSchema>;

/** Every `shipping_*` (or `billing_*`) field the order carries, by the rest of its name (`city`, `address_1`, ...). */
export function feedOrderAddress(order: JoorFeedOrder, kind: 'shipping' | 'billing'): Record<string, string> {
  const address: Record<string, string> = {};
  for (const [key, value] of Object.entries(order)) {
    if (!key.startsWith(`${kind}_`) || value === null || value === undefined || typeof value === 'object') continue;
    address[key.slice(kind.length + 1)] = String(value);
  }
  return address;
}

/** One page of `GET /v2/order/`: the raw order records (any form) and the paging numbers JOOR gave. */
export interface OrderFeedAnswer {
  orders: unknown[];
  startFrom: number | null;
  count: number | null;
  total: number | null;
}

/**
 * Reads the feed's answer in every form: `{orders: [...]}`, `{orders: {order: [...]}}`,
 * `{orders: {order: {...}}}`, `{order: {...}}` or `{order: [...]}`, a bare array, and empty
 * (`orders: ""`, `null`, `{}`, or no list at all beside the paging numbers). Null when it is none of these.
 */
export function readOrderFeed(body: unknown): OrderFeedAnswer | null {
  if (Array.isArray(body)) return { orders: listOf(body, 'order'), startFrom: null, count: null, total: null };
  if (!isPlainObject(body)) return null;
  const numbers = { startFrom: looseCount(body.start_from), count: looseCount(body.count), total: looseCount(body.total_count) };
  if ('orders' in body) return { orders: listOf(body.orders, 'order'), ...numbers };
  if ('order' in body) return { orders: listOf(body.order, 'order'), ...numbers };
  if ('total_count' in body || 'count' in body || 'start_from' in body) return { orders: [], ...numbers };
  return null;
}

function looseCount(value: unknown): number | null {
  const parsed = optionalCount.safeParse(value);
  return parsed.success ? parsed.data : null;
}

// ---------- v2 customers and inventory ----------

export const connectionSchema = z
  .object({
    customer_code: requiredText,
    customer_name: requiredText,
    connection_status: text,
  })
  .passthrough();
export type JoorConnectionRecord = z.infer<typeof connectionSchema>;

/**
 * The record of `GET /v2/connection/customer_code/{code}/`: `{connection: {...}}`,
 * `{connections: {connection: {...}}}`, `{connections: [...]}` or the bare record. Undefined when
 * the answer holds none.
 */
export function connectionOf(body: unknown): unknown {
  return listOf(body, 'connections', 'connection')[0];
}

const inventoryLogEntrySchema = z.object({
  sku: text.transform((value) => value ?? ''),
  /** JOOR's log id, read as an opaque id. */
  inventory_log_id: optionalJoorId,
  status: requiredText,
});

/** `POST /v2/bulk-inventory`'s answer; `inventory_log` in any list form (`[...]`, `{inventory_log_item: [...]}`, `{item: ...}`, one entry). */
export const inventoryResponseSchema = z.object({
  sku_count: count,
  inventory_log: listSchema(inventoryLogEntrySchema, 'inventory_log_item', 'item', 'inventory_log').default([]),
});
export type JoorInventoryResponse = z.infer<typeof inventoryResponseSchema>;

const connectionLogEntrySchema = z.object({
  customer_code: z.preprocess((value) => (isBlank(value) ? null : value), requiredText.nullable()),
  status: requiredText,
  message: text.transform((value) => value ?? ''),
});

/** `POST /v2/bulk-connection`'s answer; `connection_log` in any list form (`[...]`, `{connection: [...]}`, one entry). */
export const connectionLogSchema = z.object({
  job_status: text,
  connection_log: listSchema(connectionLogEntrySchema, 'connection', 'connection_log_item', 'item').default([]),
});
export type JoorConnectionLog = z.infer<typeof connectionLogSchema>;

/**
 * One bulk-connection call's answer: JOOR calls it an asynchronous job. Its log may come inline
 * (`connection_log`, every list form), or only a job id (`job_id`, `jobId`, `job: {id}` or `id`, an
 * opaque id) with a status and no log: the caller then follows the job up itself (see customer-sync).
 */
export interface JoorConnectionJob extends JoorConnectionLog {
  job_id: string | null;
}

export function readConnectionJob(body: unknown): { ok: true; job: JoorConnectionJob } | { ok: false; problem: string } {
  if (!isPlainObject(body)) return { ok: false, problem: 'not a JSON object' };
  const parsed = connectionLogSchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: parsed.error.message };
  const job = isPlainObject(body.job) ? body.job : {};
  const jobId = normaliseJoorId(body.job_id ?? body.jobId ?? job.id ?? job.job_id ?? body.id);
  return { ok: true, job: { ...parsed.data, job_status: parsed.data.job_status ?? (typeof job.status === 'string' ? job.status : null), job_id: jobId } };
}

// ---------- envelopes ----------

export const itemErrorSchema = z.object({
  status: requiredText,
  message: text.transform((value) => value ?? ''),
  details: z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .catch(null)
    .transform((value) => value ?? {}),
});
export type JoorItemErrorBody = z.infer<typeof itemErrorSchema>;

/** A v4 answer: `data` as a list (an array, one object, or nothing), `errors` likewise, `meta` numbers read from numbers or numeric strings. */
export interface V4Envelope {
  data: unknown[];
  errors: unknown[];
  meta: { total: number | null; limit: number | null; offset: number | null };
}

/** Reads any v4 answer (`{data, errors, meta}`; a bare array is taken as `data`). Null when the body is not an object. */
export function readV4Envelope(body: unknown): V4Envelope | null {
  if (Array.isArray(body)) return { data: listOf(body), errors: [], meta: { total: null, limit: null, offset: null } };
  if (!isPlainObject(body)) return null;
  const meta = isPlainObject(body.meta) ? body.meta : {};
  return {
    data: listOf(body.data),
    errors: listOf(body.errors),
    meta: { total: looseCount(meta.total), limit: looseCount(meta.limit), offset: looseCount(meta.offset) },
  };
}

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: count.pipe(z.number().positive()),
  refresh_token: z.string().nullable().optional(),
  refresh_expires_in: optionalCount.optional(),
  token_type: z.string(),
  scope: z.string().nullable().optional(),
});
export type JoorToken = z.infer<typeof tokenSchema>;
