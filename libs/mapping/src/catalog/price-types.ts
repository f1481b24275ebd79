/**
 * Which JOOR price type each AMC price group goes to. The plugin's rule: "all defined price groups
 * (in the defined currencies) will be synced to JOOR as separate prices", the price label being the
 * price group. Written down once, here:
 *
 * 1. A price group goes to the JOOR price type of the same name (case and surrounding/double spaces
 *    ignored) in the group's currency.
 * 2. Failing that, to the first price type of its currency (in JOOR's order) that is not named after
 *    another of the style's price groups and that no other group of the style has taken. So two
 *    groups in one currency both arrive when JOOR has a type for each.
 * 3. A group left without a type is not sent (an event says why).
 * 4. A style none of whose groups found a type still gets its standard price, as the pseudo-group
 *    `DEFAULT_PRICE_LABEL` in the connection's default currency, by rules 1-2.
 */
export const DEFAULT_PRICE_LABEL = 'DEFAULT APPARELMAGIC WHOLESALE PRICE';

export interface PriceGroupRef {
  label: string;
  /** ISO code, upper case. */
  currency: string;
}

export interface PriceTypeRef {
  id: string;
  name: string;
  currency_code: string;
}

export interface PriceTypeMatch<G> {
  group: G;
  type: PriceTypeRef | null;
  /** How the type was found. */
  by: 'name' | 'currency' | null;
}

export function priceLabelKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Pairs each group with its price type (pure; `types` in JOOR's order). */
export function matchPriceTypes<G extends PriceGroupRef>(groups: readonly G[], types: readonly PriceTypeRef[]): Array<PriceTypeMatch<G>> {
  const namedAfterGroup = new Set(groups.map((g) => priceLabelKey(g.label)));
  const taken = new Set<string>();
  const matches: Array<PriceTypeMatch<G>> = groups.map((group) => {
    const type = types.find((t) => !taken.has(t.id) && sameCurrency(t, group) && priceLabelKey(t.name) === priceLabelKey(group.label));
    if (type) taken.add(type.id);
    return { group, type: type ?? null, by: type ? 'name' : null };
  });
  for (const match of matches) {
    if (match.type) continue;
    const type = types.find((t) => !taken.has(t.id) && sameCurrency(t, match.group) && !namedAfterGroup.has(priceLabelKey(t.name)));
    if (!type) continue;
    taken.add(type.id);
    match.type = type;
    match.by = 'currency';
  }
  return matches;
}

function sameCurrency(type: PriceTypeRef, group: PriceGroupRef): boolean {
  return type.currency_code.trim().toUpperCase() === group.currency;
}
