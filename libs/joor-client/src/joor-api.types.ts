/**
 * JOOR's wire shapes as this client sends and reads them (see README.md for where the docs are
 * silent and what the sandbox chose). Ids are normalised to strings; money stays decimal strings.
 */

// ---------- v4 requests ----------

export interface JoorTraitValueInput {
  /** JOOR's trait id, opaque (e.g. `U0tVVHJhaXQ6U3R5bGVDb2xvcg==`): send back what `traits()` read. */
  trait_id: number | string;
  value: string;
  external_id?: string;
}

export interface JoorProductInput {
  name: string;
  external_id: string;
  product_identifier: string;
  description?: string;
  order_minimum?: number;
  category_ids?: Array<number | string>;
  product_trait_values?: unknown[];
  tags?: string[];
}

export interface JoorProductUpdate extends Partial<Omit<JoorProductInput, 'description'>> {
  id: string | number;
  /** `""` or null clears the description; absent keeps it. */
  description?: string | null;
}

export type JoorIdentifierType = 'upc' | 'GTIN' | 'EAN' | 'MPN';

export interface JoorSkuInput {
  product_id: string | number;
  external_id: string;
  sku_identifier?: string;
  trait_values: JoorTraitValueInput[];
  identifiers?: Array<{ type: JoorIdentifierType; value: string }>;
  status?: JoorSkuStatus;
}

export type JoorSkuStatus = 'ACTIVE' | 'INACTIVE';

export interface JoorSkuUpdate {
  id: string | number;
  /** A renamed color or size: the values given replace the SKU's (a clash with another SKU of the product on color + size is DUPLICATED). */
  trait_values?: JoorTraitValueInput[];
  external_id?: string;
  sku_identifier?: string;
  identifiers?: Array<{ type: JoorIdentifierType; value: string }>;
  status?: JoorSkuStatus;
}

export interface JoorPriceInput {
  sku_id: string | number;
  price_type_id: string;
  /** Decimal string, e.g. "100.00". */
  wholesale_value: string;
  retail_value?: string;
}

export interface JoorPriceUpdate {
  id: string | number;
  wholesale_value?: string;
  /** null clears the retail value; absent keeps it. */
  retail_value?: string | null;
}

export interface JoorDeliveryInput {
  start_ship_date?: string;
  complete_ship_date?: string;
  cancel_date?: string;
}

export interface JoorCollectionInput {
  name: string;
  external_id?: string;
  season_id?: string;
  /** No dates: IMMEDIATE delivery. */
  delivery?: JoorDeliveryInput;
  items?: Array<{ product_id: string | number; order_number?: number; sku_ids?: Array<string | number> }>;
}

export interface JoorCollectionUpdate extends JoorCollectionInput {
  id: string | number;
}

export type JoorAssetType = 'image' | 'swatch' | 'video';

export interface JoorAssetSpec {
  type: JoorAssetType;
  filename: string;
  source_url: string;
  /** Unique across the account. */
  external_id?: string;
}

export interface JoorProductAssetInput {
  product: { id: string | number };
  asset: JoorAssetSpec;
  display_order?: number;
}

export interface JoorColorAssetInput {
  product: { id: string | number };
  sku_trait_value: { trait: { name: 'color' }; value: { external_id: string } };
  asset: JoorAssetSpec;
  display_order?: number;
}

export type JoorExportStatus = 'Success' | 'Failed' | 'Pending';

export interface JoorOrderExportUpdate {
  id: string | number;
  export_status: JoorExportStatus;
  export_description?: string;
}

// ---------- v2 requests ----------

export interface JoorInventoryItem {
  warehouse: string;
  /** "IMMEDIATE" (available now) or YYYY-MM-DD. */
  inventory_date: string;
  style_number?: string;
  style_identifier?: string;
  color_code?: string;
  size?: string;
  upc?: string;
  inventory: number;
  made_to_order?: boolean;
}

export interface JoorAddress {
  address_1?: string;
  address_2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
}

/** A customer's ship-to address: `code` names it (our AMC location id), `name` is what people see. */
export interface JoorShippingAddress extends JoorAddress {
  code?: string;
  name?: string;
}

/**
 * One customer of `POST /v2/bulk-connection`. The public record names billing and shipping addresses
 * without their form; we send one `billing_address` object and the ship-to addresses as XML-born v2
 * lists are written (`shipping_addresses: {shipping_address: [...]}`, as `bulk_connections.connection`):
 * the client writes that wrapping, callers give a plain list.
 */
export interface JoorConnectionInput {
  customer_code: string;
  customer_name: string;
  customer_alias?: string;
  customer_contact_name?: string;
  customer_contact_email?: string;
  customer_buyer_name?: string;
  customer_group_name?: string;
  customer_group_code?: string;
  sales_rep_code?: string;
  billing_address?: JoorAddress;
  shipping_addresses?: JoorShippingAddress[];
}

/** v2 `order_type`: 2 Approved and Shipped, 6 Approved, 7 Shipped, 8 all. */
export type JoorOrderType = 2 | 6 | 7 | 8;
/** v2 `export_status`: 1 all, 2 not yet exported (incl. failed), 3 exported, 4 modified since export, 5 = 2+4, 6/7 = 2/5 without failed. */
export type JoorExportFilter = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface JoorOrderFeedQuery {
  orderType?: JoorOrderType;
  exportStatus?: JoorExportFilter;
  /** On the modified date (ISO-8601). */
  dateStart?: string;
  dateEnd?: string;
  customerCode?: string;
  orderId?: string;
  startFrom?: number;
  /** Page size (JOOR's default 50). */
  count?: number;
}
