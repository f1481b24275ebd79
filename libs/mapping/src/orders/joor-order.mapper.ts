import Decimal from 'decimal.js';

/** A JOOR v2 feed order, as far as the mapping reads it (the joor-client's `JoorFeedOrder` fits). */
export interface JoorOrderInput {
  order_id: string;
  order_currency: string;
  order_total: string;
  order_season_code: string | null;
  order_delivery_code: string | null;
  date_created: string | null;
  date_ship_start: string | null;
  date_ship_end: string | null;
  customer_code: string;
  customer_purchase_order: string | null;
  line_items: JoorOrderLineInput[];
}

export interface JoorOrderLineInput {
  item_number: string | null;
  item_style_identifier: string | null;
  item_color_code: string | null;
  /** The color's name, where JOOR sends it. */
  item_color?: string | null;
  item_upc: string | null;
  item_size: string | null;
  item_price: string;
  item_quantity: number;
}

/** What a line's SKU resolved to in AMC (null: no such SKU). */
export interface ResolvedSku {
  sku_id: string;
  active: boolean;
}

/** How a line asks for its SKU: by UPC when it has one, else by style number + color + size. */
export interface SkuKey {
  upc: string | null;
  /** The style number as the line shows it (for people). */
  styleNumber: string | null;
  /**
   * The AMC style numbers the line may mean, most likely first: its style identifier and number,
   * each also without a `-<color code>` suffix (a colorway sent as its own product is identified
   * as `<style number>-<color code>`), so lines find their SKU in both colorway modes.
   */
  styleNumbers: string[];
  colorCode: string | null;
  colorName: string | null;
  size: string | null;
}

export interface OrderMappingContext {
  /** The AMC customer carrying the order's JOOR customer code, or null. */
  customer: { customer_id: string; ship_to_id: string | null } | null;
  /** AMC currency id per ISO code (AMC's currency `name`). */
  currencyIdByCode: ReadonlyMap<string, string>;
  /** The SKU each line resolved to, by line index (an entry per line; null when unknown). */
  skus: ReadonlyArray<ResolvedSku | null>;
  /** The connection's settings that go on every order. */
  warehouseId: string | null;
  divisionId: string | null;
  creditStatus: string | null;
}

/** The `POST /orders` body (the AMC client's `AmcOrderCreate`). */
export interface AmcOrderDraft {
  header: {
    customer_id: string;
    joor_id: string;
    date?: string;
    date_start?: string;
    date_due?: string;
    customer_po?: string;
    currency_id?: string;
    warehouse_id?: string;
    division_id?: string;
    credit_status?: string;
    season?: string;
    ship_to_id?: string;
    source: string;
    notes: string;
  };
  items: Array<{ sku_id: string; qty: number; unit_price: string; amount: string }>;
}

export type OrderMapping = { ok: true; order: AmcOrderDraft; total: string } | { ok: false; problems: string[] };

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The key a line's SKU is looked up by (pure). */
export function skuKeyOf(line: JoorOrderLineInput): SkuKey {
  const colorCode = blankToNull(line.item_color_code);
  const suffix = colorCode ? `-${colorCode}`.toUpperCase() : null;
  const styleNumbers: string[] = [];
  for (const value of [blankToNull(line.item_style_identifier), blankToNull(line.item_number)]) {
    if (!value) continue;
    styleNumbers.push(value);
    if (suffix && value.toUpperCase().endsWith(suffix) && value.length > suffix.length) styleNumbers.push(value.slice(0, -suffix.length));
  }
  return {
    upc: blankToNull(line.item_upc),
    styleNumber: styleNumbers[0] ?? null,
    styleNumbers: [...new Set(styleNumbers)],
    colorCode,
    colorName: blankToNull(line.item_color),
    size: blankToNull(line.item_size),
  };
}

/** How a person recognises a line: its UPC and style / color / size. */
export function describeLine(line: JoorOrderLineInput): string {
  const key = skuKeyOf(line);
  const parts = [key.upc ? `UPC ${key.upc}` : null, [key.styleNumber, key.colorCode, key.size].filter(Boolean).join(' / ') || null].filter(Boolean);
  return parts.join(', ') || 'a line without UPC or style';
}

/**
 * A JOOR order as an AMC sales order, or every reason it cannot be one (unknown customer,
 * unknown or inactive SKU, unknown currency, bad quantities or prices). Lines of quantity 0 (JOOR
 * keeps them for sizes nobody ordered) are left out. Unit prices as on JOOR rounded to cents,
 * amounts qty x that unit price, in decimal arithmetic. Pure.
 */
export function mapJoorOrder(order: JoorOrderInput, ctx: OrderMappingContext): OrderMapping {
  const problems: string[] = [];
  if (!ctx.customer) problems.push(`unknown customer: no AMC customer carries JOOR customer code "${order.customer_code}"`);
  const currencyId = ctx.currencyIdByCode.get(order.order_currency.toUpperCase());
  if (!currencyId) problems.push(`unknown currency: AMC has no currency ${order.order_currency}`);

  const items: AmcOrderDraft['items'] = [];
  let total = new Decimal(0);
  order.line_items.forEach((line, index) => {
    const qty = line.item_quantity;
    if (!Number.isInteger(qty) || qty < 0) {
      problems.push(`line ${index + 1} (${describeLine(line)}): quantity ${qty} is not a whole number of at least 0`);
      return;
    }
    if (qty === 0) return;
    if (!DECIMAL.test(line.item_price) || new Decimal(line.item_price).isNegative()) {
      problems.push(`line ${index + 1} (${describeLine(line)}): price "${line.item_price}" is not a decimal of at least 0`);
      return;
    }
    const sku = ctx.skus[index] ?? null;
    if (!sku) {
      problems.push(`unknown SKU: ${describeLine(line)} is not in AMC`);
      return;
    }
    if (!sku.active) {
      problems.push(`inactive SKU: AMC SKU ${sku.sku_id} (${describeLine(line)}) is inactive`);
      return;
    }
    // The amount is what the line's printed unit price makes: qty x the unit price rounded to cents.
    const unitPrice = new Decimal(line.item_price).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const amount = unitPrice.times(qty);
    total = total.plus(amount);
    items.push({ sku_id: sku.sku_id, qty, unit_price: unitPrice.toFixed(2), amount: amount.toFixed(2) });
  });
  if (problems.length === 0 && items.length === 0) problems.push('the order has no line with a quantity');
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };

  const header: AmcOrderDraft['header'] = {
    customer_id: ctx.customer!.customer_id,
    joor_id: order.order_id,
    source: 'JOOR',
    notes: [`JOOR order ${order.order_id}`, order.order_delivery_code ? `delivery ${order.order_delivery_code}` : null].filter(Boolean).join(', '),
    currency_id: currencyId,
  };
  setIf(header, 'date', toMdy(order.date_created));
  setIf(header, 'date_start', toMdy(order.date_ship_start));
  setIf(header, 'date_due', toMdy(order.date_ship_end));
  setIf(header, 'customer_po', blankToNull(order.customer_purchase_order));
  setIf(header, 'season', blankToNull(order.order_season_code));
  setIf(header, 'warehouse_id', ctx.warehouseId);
  setIf(header, 'division_id', ctx.divisionId);
  setIf(header, 'credit_status', ctx.creditStatus);
  setIf(header, 'ship_to_id', ctx.customer!.ship_to_id);
  return { ok: true, order: { header, items }, total: total.toFixed(2) };
}

/** An ISO date or date-time as AMC's `m/d/Y` (the calendar day as written, no time-zone shift); null when absent or unreadable. */
export function toMdy(iso: string | null | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!match) return null;
  return `${match[2]}/${match[3]}/${match[1]}`;
}

/** Whether an order dated `dateCreated` is on or after the connection's `orderStartDate` (YYYY-MM-DD; null: every order). */
export function isOnOrAfterStart(dateCreated: string | null, orderStartDate: string | null): boolean {
  if (!orderStartDate) return true;
  const day = /^\d{4}-\d{2}-\d{2}/.exec(dateCreated ?? '')?.[0];
  // An order without a readable date cannot be shown to be too old: take it.
  return !day || day >= orderStartDate;
}

/** The export description JOOR shows on a created order (JOOR keeps 255 characters). */
export function successDescription(amcOrderId: string): string {
  return `Exported to ApparelMagic as sales order ${amcOrderId}`;
}

/** The export description of an order that could not be created: the reasons, cut to JOOR's 255 characters. */
export function failureDescription(problems: string[]): string {
  const text = `Not exported to ApparelMagic: ${problems.join('; ')}`;
  return text.length <= 255 ? text : `${text.slice(0, 254)}…`;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function setIf<K extends keyof AmcOrderDraft['header']>(header: AmcOrderDraft['header'], key: K, value: AmcOrderDraft['header'][K] | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') header[key] = value;
}
