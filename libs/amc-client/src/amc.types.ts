/**
 * AMC records as the client hands them out: AMC's own field names; ids, text and money as
 * strings (money is a decimal string, never a float); quantities as numbers; flags '0' | '1';
 * timestamps ISO `2022-12-01T14:32:16Z`. AMC itself answers every scalar as a string.
 */
export type AmcFlag = '0' | '1';

export interface AmcImage {
  img: string;
  is_catalog_image: AmcFlag;
  /** Colorway images: 'color' or 'swatch'. */
  kind: string;
}

export interface AmcPriceGroup {
  id: string;
  currency_id: string;
  price_group: string;
  price: string;
}

export interface AmcProduct {
  product_id: string;
  style_number: string;
  description: string;
  season: string;
  category: string;
  division_id: string;
  size_range_id: string;
  price: string;
  retail_price: string | null;
  web_title: string;
  web_description: string;
  origin: string;
  content: string;
  joor_sync: AmcFlag;
  images: AmcImage[];
  price_groups: AmcPriceGroup[];
  last_modified_time: string;
}

export interface AmcProductAttribute {
  id: string;
  product_id: string;
  attribute_2: string;
  color_code: string;
  season: string;
  joor_sync: AmcFlag;
  images: AmcImage[];
  last_modified_time: string | null;
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

export interface AmcSku extends AmcQuantities {
  sku_id: string;
  product_id: string;
  style_number: string;
  attr_2: string;
  size: string;
  size_position: number;
  upc_display: string;
  price: string | null;
  retail_price: string | null;
  active: AmcFlag;
  joor_sync: AmcFlag;
  last_modified_time: string | null;
}

export interface AmcSkuWarehouse extends AmcQuantities {
  id: string;
  sku_id: string;
  warehouse_id: string;
  last_modified_time: string | null;
}

export interface AmcSizeRange {
  id: string;
  name: string;
  /** size_01 ... size_30, in order, empty columns dropped. */
  sizes: string[];
}

/** The postal address fields AMC repeats on customers and their locations. */
export interface AmcAddress {
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
}

export interface AmcCustomerLocation extends AmcAddress {
  ship_to_id: string;
  name: string;
  is_main_location: AmcFlag;
}

export interface AmcCustomer extends AmcAddress {
  customer_id: string;
  account_number: string;
  customer_name: string;
  email: string;
  phone: string;
  terms_id: string;
  division_id: string;
  currency_id: string;
  price_group: string;
  status: string;
  joor_customer_code: string;
  /** The contact's name on the record ('' when none). */
  first_name: string;
  last_name: string;
  /** The customer's category ('' when none). */
  category: string;
  locations: AmcCustomerLocation[];
  salespeople: Array<{ id: string; salesperson_id: string; name: string }>;
  /** Contact people; `is_main_contact` marks the main one. */
  people: Array<{ first_name: string; last_name: string; email: string; position: string; is_main_contact: AmcFlag }>;
  last_modified_time: string;
}

export interface AmcOrderItem {
  id: string;
  sku_id: string;
  qty: number;
  unit_price: string | null;
  amount: string | null;
  style_number: string;
  attr_2: string;
  size: string;
}

export interface AmcOrder {
  order_id: string;
  customer_id: string;
  customer_po: string;
  date: string;
  date_start: string;
  date_due: string;
  season: string;
  warehouse_id: string;
  division_id: string;
  currency_id: string;
  credit_status: string;
  joor_id: string;
  notes: string;
  ship_to_id: string;
  source: string;
  order_items: AmcOrderItem[];
  last_modified_time: string | null;
}

export interface AmcCurrency {
  id: string;
  name: string;
  is_default: AmcFlag;
  symbol: string;
  /** Units of this currency per unit of the default currency, decimal string. */
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

/** Resource name -> record type: one list keeps every typed call honest. */
export interface AmcResourceTypes {
  products: AmcProduct;
  product_attributes: AmcProductAttribute;
  inventory: AmcSku;
  sku_warehouse: AmcSkuWarehouse;
  size_ranges: AmcSizeRange;
  customers: AmcCustomer;
  orders: AmcOrder;
  currencies: AmcCurrency;
  warehouses: AmcWarehouse;
  divisions: AmcDivision;
}

export type AmcResourceName = keyof AmcResourceTypes;

export type AmcFilterOperator = '=' | '>' | '>=' | '<' | '<=' | '!=';

export interface AmcFilter {
  field: string;
  operator: AmcFilterOperator;
  value: string;
  /** How this filter joins the ones before it; AND when left out. */
  includeType?: 'AND' | 'OR';
}

/** `POST /orders` body, without the auth AMC wants beside it. */
export interface AmcOrderCreate {
  header: {
    customer_id: string;
    division_id?: string;
    warehouse_id?: string;
    currency_id?: string;
    /** m/d/Y */
    date?: string;
    date_start?: string;
    date_due?: string;
    customer_po?: string;
    source?: string;
    notes?: string;
    joor_id?: string;
    credit_status?: string;
    season?: string;
    ship_to_id?: string;
  };
  items: Array<{ sku_id: string; qty: number; unit_price?: string; amount?: string }>;
}

export type AmcStockUpdate = Partial<AmcQuantities> & { warehouse_id?: string };
