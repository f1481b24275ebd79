/**
 * The deterministic "brand" both sandboxes are seeded with: the AMC side (catalog, stock,
 * customers, currencies) and the JOOR side (account set-up, customers already on JOOR, orders
 * that reference the AMC catalog). Field names follow each API's own spelling, so the sandboxes
 * can serve these records as they are. Money and rates are decimal strings, never floats.
 */

export interface SeedOptions {
  /** Number of styles (AMC products). */
  styles: number;
  /** PRNG seed: same options, same brand, byte for byte. */
  seed: number;
  /** Customers in AMC; default max(20, styles / 10). */
  customers?: number;
  /** JOOR orders; default max(30, styles / 5). */
  orders?: number;
  /** "Now" for the generated dates (ISO); fixed so output never depends on the clock. Default 2026-11-01T00:00:00Z. */
  now?: string;
}

// ---------- AMC side ----------

export interface AmcCurrency {
  id: string;
  /** ISO code, e.g. "USD": AMC's currency name. */
  name: string;
  is_default: '0' | '1';
  symbol: string;
  /** Units of this currency per one unit of the default currency, decimal string ("0.92"). */
  rate: string;
  last_updated: string;
}

export interface AmcWarehouse {
  id: string;
  name: string;
}

export interface AmcDivision {
  id: string;
  name: string;
}

export interface AmcSizeRange {
  id: string;
  name: string;
  /** size_01 ... size_NN in order; the API shows them as size_01..size_30 columns. */
  sizes: string[];
}

export interface AmcPriceGroup {
  id: string;
  currency_id: string;
  /** The price group's label, e.g. "WHOLESALE EUR". */
  price_group: string;
  /** Wholesale price in that currency, decimal string. */
  price: string;
}

export interface AmcImageRef {
  /** Path under the AMC sandbox host, e.g. "/images/styles/ST-00001.png"; served as real PNG bytes. */
  img: string;
  is_catalog_image: '0' | '1';
}

export interface AmcProduct {
  product_id: string;
  style_number: string;
  /** Style name. */
  description: string;
  season: string;
  category: string;
  division_id: string;
  size_range_id: string;
  /** Standard (wholesale) price in the default currency. */
  price: string;
  /** MSRP in the default currency. */
  retail_price: string;
  web_title: string;
  web_description: string;
  origin: string;
  /** Fabric content. */
  content: string;
  /** JOOR Product Configuration SYNC flag. */
  joor_sync: '0' | '1';
  images: AmcImageRef[];
  price_groups: AmcPriceGroup[];
  last_modified_time: string;
}

export interface AmcProductAttribute {
  id: string;
  product_id: string;
  /** Color name. */
  attribute_2: string;
  /** Short color code (used as JOOR color code / trait external id). */
  color_code: string;
  season: string;
  joor_sync: '0' | '1';
  /** Color image and swatch. */
  images: Array<AmcImageRef & { kind: 'color' | 'swatch' }>;
  last_modified_time: string;
}

export interface AmcQuantities {
  qty_inventory: number;
  qty_avail_sell: number;
  qty_alloc: number;
  qty_avail_alloc: number;
  qty_open_sales: number;
  qty_open_po: number;
  qty_in_transit: number;
}

/** One row of /inventory: a SKU with its company-wide quantities. */
export interface AmcSku extends AmcQuantities {
  sku_id: string;
  product_id: string;
  style_number: string;
  /** Color name (= product attribute's attribute_2). */
  attr_2: string;
  size: string;
  /** 1-based position of the size in its size range. */
  size_position: number;
  upc_display: string;
  price: string;
  retail_price: string;
  active: '0' | '1';
  /** JOOR SKU Configuration SYNC flag. */
  joor_sync: '0' | '1';
  last_modified_time: string;
}

/** One row of /sku_warehouse. */
export interface AmcSkuWarehouse extends AmcQuantities {
  sku_id: string;
  warehouse_id: string;
}

export interface AmcCustomerLocation {
  ship_to_id: string;
  name: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
  is_main_location: '0' | '1';
}

export interface AmcCustomer {
  customer_id: string;
  account_number: string;
  customer_name: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
  email: string;
  phone: string;
  terms_id: string;
  division_id: string;
  currency_id: string;
  price_group: string;
  status: 'active' | 'inactive';
  /** The "JOOR code" on the customer record; empty when the customer is not on JOOR. */
  joor_customer_code: string;
  locations: AmcCustomerLocation[];
  last_modified_time: string;
}

export interface AmcSide {
  currencies: AmcCurrency[];
  warehouses: AmcWarehouse[];
  divisions: AmcDivision[];
  sizeRanges: AmcSizeRange[];
  products: AmcProduct[];
  attributes: AmcProductAttribute[];
  skus: AmcSku[];
  skuWarehouse: AmcSkuWarehouse[];
  customers: AmcCustomer[];
  /** The brand's own set-up, as the demo connection's settings would state it. */
  settings: { defaultCurrency: string; amcWarehouseId: string; divisionId: string; joorWarehouseName: string };
}

// ---------- JOOR side ----------

export interface JoorPriceType {
  id: string;
  name: string;
  currency_code: string;
  retail_currency_code: string;
}

export interface JoorSeason {
  id: string;
  name: string;
  code: string;
}

/** A customer already matched on JOOR (v2 connection). */
export interface JoorConnection {
  customer_code: string;
  customer_name: string;
  customer_contact_email: string;
}

export type JoorOrderStatus = 'Approved' | 'Shipped' | 'Pending' | 'Cancelled';

export interface JoorOrderLine {
  item_number: string;
  item_style_identifier: string;
  item_color_code: string;
  item_upc: string;
  item_size: string;
  item_price: string;
  item_retail_price: string;
  item_quantity: number;
}

export interface JoorOrder {
  order_id: string;
  status: JoorOrderStatus;
  order_currency: string;
  order_total: string;
  order_season_code: string;
  order_delivery_code: string;
  date_created: string;
  date_approved: string | null;
  date_modified: string;
  date_ship_start: string;
  date_ship_end: string;
  customer_code: string;
  customer_purchase_order: string;
  line_items: JoorOrderLine[];
  /** Why the generator made it, for tests: "ok", "before-start-date", "unknown-sku", "unknown-customer". */
  seed_case: 'ok' | 'before-start-date' | 'unknown-sku' | 'unknown-customer';
}

export interface JoorSide {
  accountId: string;
  priceTypes: JoorPriceType[];
  seasons: JoorSeason[];
  /** Warehouse names that exist on JOOR. */
  warehouses: string[];
  connections: JoorConnection[];
  orders: JoorOrder[];
  /** Orders dated before this day are the "before start date" cases (YYYY-MM-DD). */
  orderStartDate: string;
}

// ---------- What the tests may expect ----------

/** One deliberate data problem per bad style; catalog sync must reject that style and keep going. */
export type BadStyleProblem = 'missing-style-number' | 'name-too-long' | 'duplicate-upc' | 'negative-price' | 'unknown-currency';

export interface BrandExpectations {
  /** Styles flagged for sync that carry a problem JOOR (or our mapper) must refuse. */
  badStyles: Array<{ product_id: string; problem: BadStyleProblem }>;
  /**
   * Good styles with a price group in a currency that has no JOOR price type (JPY): that one
   * price is skipped with a warning, the style itself still syncs.
   */
  unpricedCurrencyStyles: Array<{ product_id: string; currency: string }>;
  /** Good styles whose only price group is in JPY: JOOR gets their standard price in the default currency instead. */
  standardPriceStyles: string[];
}

export interface Brand {
  options: Required<SeedOptions>;
  amc: AmcSide;
  joor: JoorSide;
  expectations: BrandExpectations;
}
