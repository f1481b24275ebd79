import Decimal from 'decimal.js';
import type { Brand } from '@app/sandbox-seed';
import type { JoorSandboxHarness } from './joor-sandbox-harness';

/**
 * What JOOR should hold after a catalog sync of a seeded brand, worked out from the written rules
 * (../shared/reference/integration-overview-amc.txt, the mapped-fields table of amc-api.md, and the
 * rules the issues state) by code that shares nothing with libs/mapping, so a mapper that drops a
 * price group, keeps an old trait or keeps a cleared price disagrees with it. Rules, one per line:
 *
 * R1 A style is on JOOR when its SYNC flag is on and its data is good (the seed names the bad ones).
 * R2 Its product: external id = style number (colorways as products: `<style number>-<color code>`,
 *    name `<name> - <color name>`); name = style name (AMC `description`), else the web title.
 * R3 Its ACTIVE SKUs: the SKUs flagged and active whose colorway is flagged; traits = the color's
 *    current name and the size; identifier = the UPC. Every other SKU it ever had is INACTIVE.
 * R4 Prices: one per AMC price group, on the JOOR price type named like the group (same currency),
 *    else on the first type of the group's currency (JOOR's order) neither named like one of the
 *    style's groups nor taken; a group finding none is not sent. No group priced: the standard price
 *    on the default currency's type by the same rule, labelled DEFAULT APPARELMAGIC WHOLESALE PRICE.
 * R5 Wholesale = the group's price; retail = the MSRP, which is in the connection's default currency,
 *    times rate(target) / rate(default), AMC rates being units per one unit of AMC's base currency,
 *    rounded half up to cents; no MSRP: no retail.
 * R6 One linesheet per season holding the season's synced products in AMC order (a style's colorway
 *    products by color code).
 */
export interface ExpectedCatalog {
  /** product external id -> name */
  products: Map<string, string>;
  /** `<product external id>|<color>|<size>` -> upc, ACTIVE SKUs only */
  skus: Map<string, string>;
  /** `<sku key>|<price type name>` -> `wholesale/retail` (retail `null` when none) */
  prices: Map<string, string>;
  /** season code -> product external ids in AMC order */
  collections: Map<string, string[]>;
}

export interface OracleOptions {
  /** The connection's default currency (R5); AMC's base currency when not given. */
  defaultCurrency?: string;
  colorwaysAsProducts?: boolean;
}

const STANDARD_LABEL = 'DEFAULT APPARELMAGIC WHOLESALE PRICE';
const same = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

export function expectedCatalog(brand: Brand, options: OracleOptions = {}): ExpectedCatalog {
  const out: ExpectedCatalog = { products: new Map(), skus: new Map(), prices: new Map(), collections: new Map() };
  const bad = new Set(brand.expectations.badStyles.map((b) => b.product_id));
  const currencyName = new Map(brand.amc.currencies.map((c) => [c.id, c.name]));
  const rate = new Map(brand.amc.currencies.map((c) => [c.name, c.rate]));
  const base = brand.amc.currencies.find((c) => c.is_default === '1')!.name;
  const msrpCurrency = options.defaultCurrency ?? base;

  for (const product of brand.amc.products) {
    if (product.joor_sync !== '1' || bad.has(product.product_id)) continue; // R1
    const name = product.description || product.web_title;
    const colorways = brand.amc.attributes.filter((a) => a.product_id === product.product_id);

    // R4: price groups to price types.
    type Group = { label: string; currency: string; price: string };
    const groups: Group[] = product.price_groups.map((g) => ({ label: g.price_group, currency: currencyName.get(g.currency_id)!, price: g.price }));
    const place = (wanted: Group[]) => {
      const used = new Set<string>();
      const placed: Array<{ group: Group; typeName: string; typeCurrency: string } | null> = wanted.map((group) => {
        const type = brand.joor.priceTypes.find((t) => !used.has(t.id) && t.currency_code === group.currency && same(t.name, group.label));
        if (!type) return null;
        used.add(type.id);
        return { group, typeName: type.name, typeCurrency: type.currency_code };
      });
      wanted.forEach((group, i) => {
        if (placed[i]) return;
        const type = brand.joor.priceTypes.find((t) => !used.has(t.id) && t.currency_code === group.currency && !wanted.some((g) => same(t.name, g.label)));
        if (!type) return;
        used.add(type.id);
        placed[i] = { group, typeName: type.name, typeCurrency: type.currency_code };
      });
      return placed.filter((p): p is NonNullable<typeof p> => p !== null);
    };
    let prices = place(groups);
    if (prices.length === 0) prices = place([{ label: STANDARD_LABEL, currency: msrpCurrency, price: product.price }]);
    const retail = (currency: string): string => {
      if (!product.retail_price) return 'null'; // R5
      return new Decimal(product.retail_price).mul(rate.get(currency)!).div(rate.get(msrpCurrency)!).toFixed(2, Decimal.ROUND_HALF_UP);
    };

    const externalIds = new Set<string>();
    for (const sku of brand.amc.skus) {
      if (sku.product_id !== product.product_id) continue;
      const colorway = colorways.find((c) => c.attribute_2 === sku.attr_2);
      if (sku.joor_sync !== '1' || sku.active !== '1' || colorway?.joor_sync === '0') continue; // R3
      const external = options.colorwaysAsProducts ? `${product.style_number}-${colorway!.color_code}` : product.style_number; // R2
      out.products.set(external, options.colorwaysAsProducts ? `${name} - ${sku.attr_2}` : name);
      externalIds.add(external);
      const key = `${external}|${sku.attr_2}|${sku.size}`;
      out.skus.set(key, sku.upc_display);
      for (const p of prices) out.prices.set(`${key}|${p.typeName}`, `${new Decimal(p.group.price).toFixed(2)}/${retail(p.typeCurrency)}`);
    }
    if (!options.colorwaysAsProducts && externalIds.size === 0) out.products.set(product.style_number, name);
    const sheet = out.collections.get(product.season) ?? [];
    // R6
    const members = options.colorwaysAsProducts
      ? [...colorways]
          .sort((a, b) => (a.color_code < b.color_code ? -1 : 1))
          .map((c) => `${product.style_number}-${c.color_code}`)
          .filter((e) => externalIds.has(e))
      : [product.style_number];
    out.collections.set(product.season, [...sheet, ...members]);
  }
  for (const [season, members] of out.collections) if (members.length === 0) out.collections.delete(season);
  return out;
}

interface JoorState {
  products: Array<{ id: number; external_id: string; name: string }>;
  skus: Array<{ id: number; product_id: number; status: string; trait_values: Array<{ trait_id: number | string; value: string }>; identifiers: Array<{ type: string; value: string }> }>;
  prices: Array<{ sku_id: number; price_type_id: string; currency_code: string; wholesale_value: string; retail_value: string | null }>;
  collections: Array<{ id: number; external_id: string | null; name: string; items: Array<{ product_id: number }>; created_by_api: boolean }>;
}

/**
 * What the JOOR sandbox holds, in the same shape as ExpectedCatalog: ACTIVE SKUs and their prices,
 * products that have an ACTIVE SKU or sit on a linesheet (an old product whose SKUs all went
 * INACTIVE is out of the catalog a buyer sees). Read through the sandbox's internal state routes,
 * which are the same whatever id style its API shows.
 */
export async function actualCatalog(joor: JoorSandboxHarness, brand: Pick<Brand, 'joor'>): Promise<ExpectedCatalog & { raw: JoorState }> {
  const raw: JoorState = {
    products: await joor.control('GET', 'state/products'),
    skus: await joor.control('GET', 'state/skus'),
    prices: await joor.control('GET', 'state/prices'),
    collections: await joor.control('GET', 'state/collections'),
  };
  const typeName = new Map(brand.joor.priceTypes.map((t) => [String(t.id), t.name]));
  const productById = new Map(raw.products.map((p) => [p.id, p]));
  const skuKey = new Map<number, string>();
  const out: ExpectedCatalog = { products: new Map(), skus: new Map(), prices: new Map(), collections: new Map() };
  const shown = new Set<number>();
  for (const sku of raw.skus) {
    if (sku.status !== 'ACTIVE') continue;
    shown.add(sku.product_id);
    // The sandbox's Color and Size traits are 1001 and 1002 inside, whatever ids its API shows.
    const color = sku.trait_values.find((t) => String(t.trait_id) === '1001')?.value;
    const size = sku.trait_values.find((t) => String(t.trait_id) === '1002')?.value;
    const key = `${productById.get(sku.product_id)?.external_id}|${color}|${size}`;
    skuKey.set(sku.id, key);
    out.skus.set(key, sku.identifiers.find((i) => i.type === 'upc')?.value ?? '');
  }
  for (const price of raw.prices) {
    const key = skuKey.get(price.sku_id);
    if (key) out.prices.set(`${key}|${typeName.get(String(price.price_type_id)) ?? `?${price.price_type_id}`}`, `${price.wholesale_value}/${price.retail_value}`);
  }
  for (const c of raw.collections) {
    if (!c.created_by_api || !c.external_id?.startsWith('amc-season-')) continue;
    for (const item of c.items) shown.add(item.product_id);
    if (c.items.length)
      out.collections.set(
        c.external_id.slice('amc-season-'.length),
        c.items.map((i) => productById.get(i.product_id)?.external_id ?? `?${i.product_id}`),
      );
  }
  for (const p of raw.products) if (shown.has(p.id)) out.products.set(p.external_id, p.name);
  return { ...out, raw };
}
