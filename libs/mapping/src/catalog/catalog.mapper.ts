import type { AmcCurrency, AmcPriceGroup, AmcProduct, AmcProductAttribute, AmcSku } from '@app/amc-client';
import type { JoorProductInput, JoorSkuInput, JoorSkuStatus } from '@app/joor-client';
import { convertMsrp, isDecimal, toJoorMoney } from './catalog-money';
import { payloadHash } from './payload-hash';

/** JOOR's documented field limits (v4 products). */
export const JOOR_LIMITS = { name: 100, productIdentifier: 45, externalId: 100, description: 500 } as const;

/** What a catalog run knows before mapping any style. */
export interface CatalogContext {
  /** AMC currencies by id. */
  currencies: Map<string, AmcCurrency>;
  /** The MSRP's currency code (the connection's setting, else AMC's default currency). */
  defaultCurrency: string;
  /** JOOR price type id per currency code (the first price type of each currency). */
  priceTypeByCurrency: Map<string, string>;
  /** Size names of each AMC size range, in the range's order. */
  sizeRanges: Map<string, string[]>;
  traitIds: { color: string; size: string };
  colorwaysAsProducts: boolean;
}

/** Everything AMC holds about one style: the product, its colorways and its SKUs. */
export interface AmcStyle {
  product: AmcProduct;
  colorways: AmcProductAttribute[];
  skus: AmcSku[];
}

export interface MappedPrice {
  /** `<amc sku id>:<price type id>`: the link key. */
  key: string;
  priceTypeId: string;
  currency: string;
  wholesale: string;
  retail: string | null;
  hash: string;
}

export interface MappedSku {
  /** AMC sku_id. */
  key: string;
  payload: Omit<JoorSkuInput, 'product_id'>;
  hash: string;
  /** Prices to send; empty for an INACTIVE SKU (its prices stay as they were). */
  prices: MappedPrice[];
}

export interface MappedProduct {
  /** AMC product_id, or `<product_id>:<color_code>` for a colorway sent as its own product. */
  key: string;
  payload: JoorProductInput;
  hash: string;
  skus: MappedSku[];
}

export interface StyleIssue {
  entityType: 'style' | 'sku' | 'price';
  entityKey: string;
  reason: string;
}

export type MappedStyle =
  | { kind: 'synced'; productId: string; season: string; products: MappedProduct[]; warnings: StyleIssue[]; skuFailures: StyleIssue[] }
  /** Not flagged at product level: whatever was sent before becomes INACTIVE. */
  | { kind: 'unflagged'; productId: string }
  /** Bad data: the style is not sent (what was sent before stays as it was). */
  | { kind: 'failed'; productId: string; reasons: string[] };

/** The JOOR external id of a style's product (JOOR's style identifier is AMC's style number, as orders reference it). */
export function productExternalId(styleNumber: string, colorCode?: string): string {
  return colorCode ? `${styleNumber}-${colorCode}` : styleNumber;
}

export function skuExternalId(skuId: string): string {
  return `amc-sku-${skuId}`;
}

export function priceKey(skuId: string, priceTypeId: string): string {
  return `${skuId}:${priceTypeId}`;
}

/** The price type id of each currency: the lowest id when JOOR has several for one currency. */
export function priceTypesByCurrency(priceTypes: Array<{ id: string; currency_code: string }>): Map<string, string> {
  const out = new Map<string, string>();
  const sorted = [...priceTypes].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  for (const type of sorted) if (!out.has(type.currency_code.toUpperCase())) out.set(type.currency_code.toUpperCase(), type.id);
  return out;
}

interface PricePlan {
  priceTypeId: string;
  currency: string;
  wholesale: string;
  retail: string | null;
}

/**
 * Maps one AMC style to the JOOR products, SKUs and prices it should be. Pure. Rules:
 * - only a style flagged at product level is sent, and of it only the SKUs flagged at SKU level
 *   (whose colorway is flagged too); a SKU sent before that lost its flag is sent INACTIVE
 *   (`previouslySynced` says which SKUs JOOR already has);
 * - name: style name, else web title; description: web description, else description;
 * - every price group becomes a price of its currency's JOOR price type: wholesale = the
 *   group's price, retail = the MSRP converted at AMC's rate (see `convertMsrp`);
 * - bad data fails the style with every reason found; a currency without a JOOR price type or a
 *   SKU without color or size only skips that price or SKU, with a warning.
 */
export function mapStyle(style: AmcStyle, ctx: CatalogContext, previouslySynced: ReadonlySet<string> = new Set()): MappedStyle {
  const { product } = style;
  if (product.joor_sync !== '1') return { kind: 'unflagged', productId: product.product_id };

  const reasons: string[] = [];
  const warnings: StyleIssue[] = [];
  const skuFailures: StyleIssue[] = [];
  const styleNumber = (product.style_number ?? '').trim();
  if (!styleNumber) reasons.push('the style has no style number');
  else if (styleNumber.length > JOOR_LIMITS.productIdentifier) reasons.push(`style number "${styleNumber}" is longer than JOOR's ${JOOR_LIMITS.productIdentifier} characters`);

  const name = firstText(product.description, product.web_title);
  if (!name) reasons.push('the style has neither a style name nor a web title');
  const description = firstText(product.web_description, product.description);

  const prices = planPrices(product, ctx, reasons, warnings);
  if (reasons.length === 0 && !isDecimal(product.price)) reasons.push(`standard price "${product.price}" is not a number`);
  else if (reasons.length === 0 && product.price.trim().startsWith('-')) reasons.push(`standard price ${product.price} is negative`);

  const colorways = new Map(style.colorways.map((c) => [c.attribute_2, c]));
  const colorOrder = new Map(style.colorways.map((c, i) => [c.attribute_2, i]));
  const sizes = ctx.sizeRanges.get(product.size_range_id) ?? [];
  const sorted = [...style.skus].sort(
    (a, b) =>
      (colorOrder.get(a.attr_2) ?? 1e6) - (colorOrder.get(b.attr_2) ?? 1e6) ||
      a.attr_2.localeCompare(b.attr_2) ||
      sizeIndex(sizes, a) - sizeIndex(sizes, b) ||
      Number(a.sku_id) - Number(b.sku_id),
  );

  const skus: Array<{ sku: AmcSku; colorCode: string; mapped: MappedSku }> = [];
  const upcs = new Map<string, string>();
  for (const sku of sorted) {
    const colorway = colorways.get(sku.attr_2);
    const wanted = sku.joor_sync === '1' && sku.active === '1' && (colorway?.joor_sync ?? '1') === '1';
    if (!wanted && !previouslySynced.has(sku.sku_id)) continue;
    const color = (sku.attr_2 ?? '').trim();
    const size = (sku.size ?? '').trim();
    if (!color || !size) {
      skuFailures.push({ entityType: 'sku', entityKey: sku.sku_id, reason: `SKU ${sku.sku_id} of style ${styleNumber || product.product_id} has no ${color ? 'size' : 'color'}; JOOR needs both` });
      continue;
    }
    const upc = (sku.upc_display ?? '').trim();
    if (wanted && upc) {
      const other = upcs.get(upc);
      if (other) reasons.push(`UPC ${upc} is on two SKUs of the style (${other} and ${sku.sku_id})`);
      else upcs.set(upc, sku.sku_id);
    }
    const colorCode = (colorway?.color_code || color).trim();
    const status: JoorSkuStatus = wanted ? 'ACTIVE' : 'INACTIVE';
    const payload: Omit<JoorSkuInput, 'product_id'> = {
      external_id: skuExternalId(sku.sku_id),
      sku_identifier: `${styleNumber}-${colorCode}-${size}`.slice(0, 100),
      trait_values: [
        { trait_id: ctx.traitIds.color, value: color, external_id: colorCode },
        { trait_id: ctx.traitIds.size, value: size },
      ],
      identifiers: upc ? [{ type: 'upc', value: upc }] : [],
      status,
    };
    const skuPrices: MappedPrice[] = wanted
      ? prices.map((p) => {
          const value = { wholesale: p.wholesale, retail: p.retail };
          return { key: priceKey(sku.sku_id, p.priceTypeId), priceTypeId: p.priceTypeId, currency: p.currency, ...value, hash: payloadHash(value) };
        })
      : [];
    skus.push({ sku, colorCode, mapped: { key: sku.sku_id, payload, hash: payloadHash(payload), prices: skuPrices } });
  }

  if (reasons.length > 0) return { kind: 'failed', productId: product.product_id, reasons };

  const base = (suffix?: { colorName: string; colorCode: string }): JoorProductInput => {
    const fullName = suffix ? `${name} - ${suffix.colorName}` : name;
    return {
      name: fullName,
      external_id: productExternalId(styleNumber, suffix?.colorCode),
      product_identifier: styleNumber,
      description: description.slice(0, JOOR_LIMITS.description),
      product_trait_values: [
        { name: 'Country of Origin', value: product.origin ?? '' },
        { name: 'Fabrication', value: product.content ?? '' },
      ],
      tags: [product.category, product.season].filter((t) => !!t),
    };
  };
  if (description.length > JOOR_LIMITS.description) {
    warnings.push({ entityType: 'style', entityKey: product.product_id, reason: `description of style ${styleNumber} cut to JOOR's ${JOOR_LIMITS.description} characters` });
  }

  const products: MappedProduct[] = [];
  const push = (key: string, payload: JoorProductInput, members: MappedSku[]): void => {
    if (payload.name.length > JOOR_LIMITS.name) {
      reasons.push(`name "${payload.name.slice(0, 40)}..." is ${payload.name.length} characters; JOOR allows ${JOOR_LIMITS.name}`);
      return;
    }
    if ((payload.external_id ?? '').length > JOOR_LIMITS.externalId) {
      reasons.push(`style identifier "${payload.external_id}" is longer than JOOR's ${JOOR_LIMITS.externalId} characters`);
      return;
    }
    products.push({ key, payload, hash: payloadHash(payload), skus: members });
  };
  if (ctx.colorwaysAsProducts) {
    const byColor = new Map<string, { colorName: string; colorCode: string; members: MappedSku[] }>();
    for (const entry of skus) {
      const group = byColor.get(entry.sku.attr_2) ?? { colorName: entry.sku.attr_2, colorCode: entry.colorCode, members: [] };
      group.members.push(entry.mapped);
      byColor.set(entry.sku.attr_2, group);
    }
    for (const group of byColor.values()) push(`${product.product_id}:${group.colorCode}`, base(group), group.members);
  } else {
    push(product.product_id, base(), skus.map((s) => s.mapped));
  }
  if (reasons.length > 0) return { kind: 'failed', productId: product.product_id, reasons };
  return { kind: 'synced', productId: product.product_id, season: product.season ?? '', products, warnings, skuFailures };
}

function planPrices(product: AmcProduct, ctx: CatalogContext, reasons: string[], warnings: StyleIssue[]): PricePlan[] {
  const plans: PricePlan[] = [];
  const msrp = product.retail_price;
  if (msrp !== null && msrp !== undefined && msrp !== '') {
    if (!isDecimal(msrp)) reasons.push(`MSRP "${msrp}" is not a number`);
    else if (msrp.trim().startsWith('-')) reasons.push(`MSRP ${msrp} is negative`);
  }
  const seen = new Set<string>();
  for (const group of product.price_groups ?? []) {
    const currency = ctx.currencies.get(group.currency_id);
    if (!currency) {
      reasons.push(`price group "${group.price_group}" has currency id ${group.currency_id}, which AMC does not know`);
      continue;
    }
    if (!isDecimal(group.price)) {
      reasons.push(`price group "${group.price_group}" has price "${group.price}", which is not a number`);
      continue;
    }
    if (group.price.trim().startsWith('-')) {
      reasons.push(`price group "${group.price_group}" has a negative price (${group.price})`);
      continue;
    }
    const code = currency.name.toUpperCase();
    const priceTypeId = ctx.priceTypeByCurrency.get(code);
    if (!priceTypeId) {
      warnings.push({ entityType: 'price', entityKey: `${product.product_id}:${group.id}`, reason: priceTypeWarning(product, group, code) });
      continue;
    }
    if (seen.has(code)) {
      warnings.push({ entityType: 'price', entityKey: `${product.product_id}:${group.id}`, reason: `style ${product.style_number}: price group "${group.price_group}" is a second ${code} price; the first one is sent` });
      continue;
    }
    seen.add(code);
    plans.push({ priceTypeId, currency: code, wholesale: toJoorMoney(group.price), retail: retailIn(code, msrp, ctx) });
  }
  return plans;
}

function retailIn(code: string, msrp: string | null, ctx: CatalogContext): string | null {
  if (!isDecimal(msrp) || msrp.trim().startsWith('-')) return null;
  if (code === ctx.defaultCurrency.toUpperCase()) return toJoorMoney(msrp);
  const currency = [...ctx.currencies.values()].find((c) => c.name.toUpperCase() === code);
  if (!currency || !isDecimal(currency.rate)) return null;
  return convertMsrp(msrp, currency.rate);
}

function priceTypeWarning(product: AmcProduct, group: AmcPriceGroup, code: string): string {
  return `style ${product.style_number}: price group "${group.price_group}" is in ${code}, and JOOR has no price type in ${code}; that price is not sent (add a ${code} price type in JOOR to send it)`;
}

function firstText(...values: Array<string | null | undefined>): string {
  for (const value of values) if (value && value.trim()) return value.trim();
  return '';
}

function sizeIndex(sizes: string[], sku: AmcSku): number {
  const at = sizes.indexOf(sku.size);
  return at >= 0 ? at : 1000 + (sku.size_position ?? 0);
}
