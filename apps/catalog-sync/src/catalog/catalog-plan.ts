/**
 * The catalog's shape (see sync-core's run-plan.ts): what every style's mapping depends on besides the style: exchange rates, AMC's base and the
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

/** The exchange rates by currency code, in a stable order. */
export function ratesOf(currencies: Array<{ name: string; rate: string }>): Record<string, string> {
  return Object.fromEntries([...currencies].sort((a, b) => a.name.localeCompare(b.name)).map((c) => [c.name, c.rate]));
}
