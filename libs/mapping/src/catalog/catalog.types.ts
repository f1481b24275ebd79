/**
 * What the catalog mapping reads from AMC and what it produces for JOOR, stated here so mapping
 * depends on no client: the AMC client's records and the JOOR client's request types fit these
 * shapes structurally (the compiler checks it where the catalog sync hands one to the other).
 */

// ---------- read from AMC ----------

export interface CatalogCurrency {
  id: string;
  /** ISO code (AMC's currency name). */
  name: string;
  /** Units of this currency per one unit of AMC's base currency (see catalog-money.ts). */
  rate: string;
}

export interface CatalogPriceGroup {
  id: string;
  currency_id: string;
  price_group: string;
  price: string;
}

export interface CatalogProduct {
  product_id: string;
  style_number: string;
  /** The style name. */
  description: string;
  season: string;
  category: string;
  size_range_id: string;
  /** Standard (wholesale) price in the default currency. */
  price: string;
  /** MSRP in the connection's default currency. */
  retail_price: string | null;
  web_title: string;
  web_description: string;
  origin: string;
  content: string;
  joor_sync: string;
  price_groups: CatalogPriceGroup[];
}

export interface CatalogColorway {
  /** The color name. */
  attribute_2: string;
  color_code: string;
  joor_sync: string;
}

export interface CatalogSku {
  sku_id: string;
  attr_2: string;
  size: string;
  size_position: number;
  upc_display: string;
  active: string;
  joor_sync: string;
}

// ---------- sent to JOOR (v4) ----------

export interface JoorTraitValuePayload {
  trait_id: string;
  value: string;
  external_id?: string;
}

export interface JoorProductPayload {
  name: string;
  external_id: string;
  product_identifier: string;
  description: string;
  product_trait_values: Array<{ name: string; value: string }>;
  tags: string[];
}

export interface JoorSkuPayload {
  external_id: string;
  sku_identifier: string;
  trait_values: JoorTraitValuePayload[];
  identifiers: Array<{ type: 'upc'; value: string }>;
  status: 'ACTIVE' | 'INACTIVE';
}

export interface JoorCollectionPayload {
  name: string;
  external_id: string;
  season_id?: string;
  items: Array<{ product_id: string; order_number: number }>;
}
