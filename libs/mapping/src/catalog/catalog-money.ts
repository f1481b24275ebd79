import Decimal from 'decimal.js';

/** AMC money: an optional minus, digits, optional decimals. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimal(value: string | null | undefined): value is string {
  return typeof value === 'string' && DECIMAL.test(value.trim());
}

/** JOOR money: a decimal string with exactly two decimals ("100.00"). */
export function toJoorMoney(value: string): string {
  return new Decimal(value.trim()).toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * The MSRP in another currency: `msrp x rate`, where `rate` is AMC's units of the target currency
 * per one unit of the default currency. Exact decimal product, then rounded once to cents,
 * half away from zero (ROUND_HALF_UP), as a price list would print it. Never binary floats.
 */
export function convertMsrp(msrp: string, rate: string): string {
  return new Decimal(msrp.trim()).mul(new Decimal(rate.trim())).toFixed(2, Decimal.ROUND_HALF_UP);
}
