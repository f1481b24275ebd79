import { payloadHash } from '../catalog/payload-hash';

/** How JOOR knows a SKU on its inventory feed: what catalog sync sent it as (its link's meta). */
export interface InventorySkuIdentity {
  style?: string | null;
  styleNumber?: string | null;
  colorCode?: string | null;
  size?: string | null;
  upc?: string | null;
}

/** One row of JOOR's v2 bulk-inventory feed (the JOOR client's `JoorInventoryItem` fits). */
export interface JoorInventoryRow {
  warehouse: string;
  /** Only immediate inventory is sent ("IMMEDIATE": available now), never future dates. */
  inventory_date: 'IMMEDIATE';
  style_identifier?: string;
  style_number?: string;
  color_code?: string;
  size?: string;
  upc?: string;
  inventory: number;
}

export type MappedStock = { ok: true; row: JoorInventoryRow; hash: string; warning: string | null } | { ok: false; problem: string };

/**
 * One SKU's stock as a JOOR inventory row (pure): the chosen quantity in the chosen warehouse, named
 * by every identifier JOOR matches on (UPC, and style identifier / style number + color code + size),
 * as immediate inventory. A negative quantity goes as 0 (JOOR has no negative availability) with a
 * warning; a SKU with neither a UPC nor style, color and size cannot be named and is refused.
 */
export function mapStock(skuKey: string, identity: InventorySkuIdentity | null, quantity: number, joorWarehouse: string): MappedStock {
  const text = (value: string | null | undefined) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const upc = text(identity?.upc);
  const style = text(identity?.style);
  const styleNumber = text(identity?.styleNumber);
  const colorCode = text(identity?.colorCode);
  const size = text(identity?.size);
  if (!upc && !((style || styleNumber) && colorCode && size)) {
    return { ok: false, problem: `SKU ${skuKey} has neither a UPC nor a style, color and size on record, so JOOR cannot be told which SKU the stock is for` };
  }
  if (!Number.isInteger(quantity)) return { ok: false, problem: `SKU ${skuKey}: the stock quantity ${quantity} is not a whole number` };
  const row: JoorInventoryRow = {
    warehouse: joorWarehouse,
    inventory_date: 'IMMEDIATE',
    ...(style ? { style_identifier: style } : {}),
    ...(styleNumber ? { style_number: styleNumber } : {}),
    ...(colorCode ? { color_code: colorCode } : {}),
    ...(size ? { size } : {}),
    ...(upc ? { upc } : {}),
    inventory: Math.max(0, quantity),
  };
  const warning = quantity < 0 ? `SKU ${skuKey} has ${quantity} in stock in AMC; JOOR is sent 0` : null;
  return { ok: true, row, hash: payloadHash(row), warning };
}
