import Decimal from 'decimal.js';

export interface OrderItemInput {
  sku_id: string;
  qty: number;
  unit_price?: string;
  amount?: string;
}

export interface OrderInput {
  header: Record<string, string>;
  items: OrderItemInput[];
}

const MDY = /^(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])\/\d{4}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const HEADER_DATES = ['date', 'date_start', 'date_due'] as const;

/**
 * The shape checks of `POST /orders` that need no database: header present, dates `m/d/Y`,
 * items with a SKU, a positive whole quantity and decimal prices. Returns the normalised input
 * or AMC-style error messages. Pure.
 */
export function validateOrderShape(body: unknown): { order?: OrderInput; errors: string[] } {
  const errors: string[] = [];
  const raw = (body ?? {}) as { header?: unknown; items?: unknown };
  if (!raw.header || typeof raw.header !== 'object' || Array.isArray(raw.header)) return { errors: ['header is required'] };
  const header: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.header as Record<string, unknown>)) {
    if (value !== null && value !== undefined && typeof value !== 'object') header[key] = String(value);
  }
  if (!header.customer_id) errors.push('header.customer_id is required');
  for (const field of HEADER_DATES) {
    if (header[field] !== undefined && header[field] !== '' && !MDY.test(header[field])) errors.push(`header.${field} must be a date as m/d/Y`);
  }
  if (!Array.isArray(raw.items) || raw.items.length === 0) {
    errors.push('items must list at least one item');
    return { errors };
  }
  const items: OrderItemInput[] = [];
  raw.items.forEach((entry: unknown, i: number) => {
    const item = (entry ?? {}) as Record<string, unknown>;
    const sku = item.sku_id === undefined || item.sku_id === null ? '' : String(item.sku_id);
    const qty = Number(item.qty);
    if (!sku) errors.push(`items[${i}].sku_id is required`);
    if (!Number.isInteger(qty) || qty <= 0) errors.push(`items[${i}].qty must be a positive whole number`);
    const unitPrice = item.unit_price === undefined || item.unit_price === null || item.unit_price === '' ? undefined : String(item.unit_price);
    const amount = item.amount === undefined || item.amount === null || item.amount === '' ? undefined : String(item.amount);
    if (unitPrice !== undefined && !DECIMAL.test(unitPrice)) errors.push(`items[${i}].unit_price must be a decimal number`);
    if (amount !== undefined && !DECIMAL.test(amount)) errors.push(`items[${i}].amount must be a decimal number`);
    items.push({ sku_id: sku, qty, unit_price: unitPrice, amount });
  });
  return errors.length > 0 ? { errors } : { order: { header, items }, errors };
}

/** qty x unit price to the cent, in decimal arithmetic. */
export function lineAmount(qty: number, unitPrice: string): string {
  return new Decimal(unitPrice).times(qty).toFixed(2);
}

/** Today as AMC writes order dates. */
export function mdy(date: Date): string {
  return `${String(date.getUTCMonth() + 1).padStart(2, '0')}/${String(date.getUTCDate()).padStart(2, '0')}/${date.getUTCFullYear()}`;
}
