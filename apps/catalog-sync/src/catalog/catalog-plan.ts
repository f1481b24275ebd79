import type { CatalogMode } from './amc-catalog.reader';

/**
 * What every style's mapping depends on besides the style: exchange rates, AMC's base and the
 * connection's default currency, the trait ids, JOOR's price types and the colorway mode. A change
 * of any of them changes styles AMC did not touch, so the run reads them all.
 */
export interface CatalogShape {
  rates: Record<string, string>;
  baseCurrency: string | null;
  defaultCurrency: string;
  colorwaysAsProducts: boolean;
  traitIds: { color: string; size: string };
  priceTypes: Array<{ id: string; name: string; currency_code: string }>;
}

/** The parts of the shape that differ from the last run's (none when there was no last run). */
export function shapeChanges(previous: Record<string, unknown> | null, shape: CatalogShape): string[] {
  if (!previous) return [];
  return (Object.keys(shape) as Array<keyof CatalogShape>).filter((key) => JSON.stringify(previous[key]) !== JSON.stringify(shape[key]));
}

/**
 * Which styles a run reads: the named ones; every one (asked for, the first run, or the shape
 * changed); else those changed since the cursor (and the due ones).
 */
export function chooseMode(input: { styleNumbers: string[]; full: boolean; cursor: string | null; previousShape: Record<string, unknown> | null; changes: string[] }): CatalogMode {
  if (input.styleNumbers.length) return 'styles';
  if (input.full || !input.cursor || !input.previousShape || input.changes.length > 0) return 'full';
  return 'delta';
}

/** The delta's `last_modified_time >=` bound: the cursor minus the overlap, as AMC writes times. */
export function deltaSince(cursor: string | null, overlapMs: number): string | null {
  return cursor ? new Date(Date.parse(cursor) - overlapMs).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

export function parseShape(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The exchange rates by currency code, in a stable order. */
export function ratesOf(currencies: Array<{ name: string; rate: string }>): Record<string, string> {
  return Object.fromEntries([...currencies].sort((a, b) => a.name.localeCompare(b.name)).map((c) => [c.name, c.rate]));
}
