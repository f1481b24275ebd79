import { z } from 'zod';

/** What JOOR sends back, checked record by record (a bad record is reported, never a crash). */

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const optionalId = id.nullable().optional().transform((value) => value ?? null);
const text = z.string().nullable().optional().transform((value) => value ?? null);
const decimal = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()])
  .transform((value) => (typeof value === 'number' ? value.toFixed(2) : value));

export const productSchema = z.object({
  id,
  external_id: text,
  name: z.string(),
  product_identifier: text,
  description: text,
});
export type JoorProduct = z.infer<typeof productSchema>;

export const skuSchema = z.object({
  id,
  product_id: id,
  external_id: text,
  sku_identifier: text,
  status: z.enum(['ACTIVE', 'INACTIVE']),
  trait_values: z.array(z.object({ trait_id: id, value: z.string(), external_id: text })).default([]),
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })).default([]),
});
export type JoorSku = z.infer<typeof skuSchema>;

export const priceSchema = z.object({
  id,
  sku_id: id,
  price_type_id: z.union([z.string(), z.number()]).transform(String),
  currency_code: text,
  wholesale_value: decimal,
  retail_value: decimal.nullable().optional().transform((value) => value ?? null),
});
export type JoorPrice = z.infer<typeof priceSchema>;

export const priceTypeSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  currency_code: z.string(),
  retail_currency_code: text,
});
export type JoorPriceTypeRecord = z.infer<typeof priceTypeSchema>;

export const seasonSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string(), code: text });
export type JoorSeasonRecord = z.infer<typeof seasonSchema>;

export const traitSchema = z.object({ id, name: z.string() });
export type JoorTrait = z.infer<typeof traitSchema>;

export const collectionSchema = z.object({
  id,
  external_id: text,
  name: z.string(),
  season_id: z.union([z.string(), z.number()]).nullable().optional().transform((value) => (value === null || value === undefined ? null : String(value))),
  delivery: z.unknown().optional(),
  items: z.array(z.object({ product_id: id, order_number: z.number().nullable().optional(), sku_ids: z.array(id).default([]) })).default([]),
  /** False for linesheets made by hand in JOOR, which the integration must leave alone. */
  created_by_api: z.boolean(),
});
export type JoorCollection = z.infer<typeof collectionSchema>;

export const assetSchema = z.object({
  id,
  external_id: text,
  product_id: id,
  type: z.string(),
  filename: z.string(),
  source_url: z.string(),
  display_order: z.number().nullable().optional(),
});
export type JoorAsset = z.infer<typeof assetSchema>;

export const v4OrderSchema = z.object({
  id,
  status: z.string(),
  export_status: text,
  export_description: text,
  exported_on: text,
});
export type JoorV4Order = z.infer<typeof v4OrderSchema>;

export const lineItemSchema = z.object({
  order_id: id,
  sku_id: optionalId,
  product_id: optionalId,
  style_identifier: text,
  color_code: text,
  size: text,
  upc: text,
  quantity: z.number().int(),
  price: decimal,
  retail_price: decimal.nullable().optional().transform((value) => value ?? null),
});
export type JoorSkuLineItem = z.infer<typeof lineItemSchema>;

const orderLineSchema = z.object({
  item_number: text,
  item_style_identifier: text,
  item_color_code: text,
  item_upc: text,
  item_size: text,
  item_price: decimal,
  item_retail_price: decimal.nullable().optional().transform((value) => value ?? null),
  item_quantity: z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]),
});

/** An order of the v2 feed. */
export const feedOrderSchema = z.object({
  order_id: z.union([z.string(), z.number()]).transform(String),
  order_status: text,
  order_currency: z.string(),
  order_total: decimal,
  order_season_code: text,
  order_delivery_code: text,
  date_created: text,
  date_approved: text,
  date_modified: z.string(),
  date_ship_start: text,
  date_ship_end: text,
  customer_code: z.string(),
  customer_purchase_order: text,
  export_status: text,
  export_description: text,
  date_exported: text,
  line_items: z.array(orderLineSchema),
});
export type JoorFeedOrder = z.infer<typeof feedOrderSchema>;

export const connectionSchema = z
  .object({
    customer_code: z.string(),
    customer_name: z.string(),
    connection_status: text,
  })
  .passthrough();
export type JoorConnectionRecord = z.infer<typeof connectionSchema>;

export const itemErrorSchema = z.object({
  status: z.string(),
  message: z.string().default(''),
  details: z.record(z.string(), z.unknown()).nullable().optional().transform((value) => value ?? {}),
});
export type JoorItemErrorBody = z.infer<typeof itemErrorSchema>;

export const envelopeSchema = z.object({
  data: z.unknown(),
  errors: z.array(z.unknown()).nullable().optional().transform((value) => value ?? []),
  meta: z.object({ total: z.number(), limit: z.number(), offset: z.number() }).partial().optional(),
});

export const inventoryResponseSchema = z.object({
  sku_count: z.number(),
  inventory_log: z.array(z.object({ sku: z.string(), inventory_log_id: z.number().nullable().optional(), status: z.string() })).default([]),
});
export type JoorInventoryResponse = z.infer<typeof inventoryResponseSchema>;

export const connectionLogSchema = z.object({
  job_status: text,
  connection_log: z.array(z.object({ customer_code: z.string().nullable(), status: z.string(), message: z.string().default('') })).default([]),
});
export type JoorConnectionLog = z.infer<typeof connectionLogSchema>;

export const orderFeedSchema = z.object({
  orders: z.array(z.unknown()),
  start_from: z.number().optional(),
  count: z.number().optional(),
  total_count: z.number().optional(),
});

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().nullable().optional(),
  refresh_expires_in: z.number().nullable().optional(),
  token_type: z.string(),
  scope: z.string().nullable().optional(),
});
export type JoorToken = z.infer<typeof tokenSchema>;
