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
 * AMC's exchange rates (`/currencies`: `rate`) are relative to AMC's base currency, the one marked
 * `is_default`: a currency's rate is how many units of it one unit of the base buys (base 1, EUR
 * 0.92 means 1 USD = 0.92 EUR). This is the one place that direction is stated.
 *
 * An amount in currency `from` is then `amount x rate(to) / rate(from)` in currency `to`: through
 * the base, so a connection whose default currency is not AMC's base converts correctly. Exact
 * decimal arithmetic, rounded once to cents, half away from zero, as a price list prints it.
 */
export function convertMoney(amount: string, rates: { from: string; to: string }): string {
  return new Decimal(amount.trim()).mul(new Decimal(rates.to.trim())).div(new Decimal(rates.from.trim())).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** A usable AMC rate: a positive decimal. */
export function isRate(value: string | null | undefined): value is string {
  return isDecimal(value) && new Decimal(value.trim()).gt(0);
}
