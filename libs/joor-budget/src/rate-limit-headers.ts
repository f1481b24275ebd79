import type { ObservedLimit } from './credit-budget';

/**
 * JOOR's docs promise rate-limit headers on every response without naming them; these are the
 * names the sandbox sends (apps/joor-sandbox/src/limits/credit-limiter.ts) and the common ones.
 */
export const RATE_LIMIT_HEADER_NAMES = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
  retryAfter: 'retry-after',
} as const;

/** A reset above this is an epoch time in seconds rather than seconds from now. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

type HeaderSource = Headers | Record<string, string | string[] | number | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | number | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value === undefined ? undefined : String(value);
}

function seconds(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(raw)) return undefined;
  return Number(raw);
}

/** Milliseconds until the reset a header names: seconds from now, epoch seconds, or (Retry-After) an HTTP date. */
function resetInMs(raw: string | undefined, nowMs: number): number | undefined {
  const value = seconds(raw);
  if (value !== undefined) return Math.max(0, Math.round(value >= EPOCH_SECONDS_FLOOR ? value * 1000 - nowMs : value * 1000));
  // Only an HTTP date (Retry-After's other form) has letters; Date.parse would take "-1" as a year.
  if (raw === undefined || !/[a-z]/i.test(raw)) return undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** What one JOOR response says about the account's window, ready for `CreditBudget.observe`. */
export function observedLimitFrom(status: number, headers: HeaderSource, nowMs = Date.now()): ObservedLimit {
  const observed: ObservedLimit = {};
  const remaining = seconds(header(headers, RATE_LIMIT_HEADER_NAMES.remaining));
  if (remaining !== undefined) observed.remaining = Math.floor(remaining);
  const reset = resetInMs(header(headers, RATE_LIMIT_HEADER_NAMES.reset), nowMs) ?? (status === 429 ? resetInMs(header(headers, RATE_LIMIT_HEADER_NAMES.retryAfter), nowMs) : undefined);
  if (reset !== undefined) observed.resetInMs = reset;
  if (status === 429) observed.limited = true;
  return observed;
}
