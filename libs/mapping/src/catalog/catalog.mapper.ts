import type { CatalogColorway, CatalogCurrency, CatalogProduct, CatalogSku, JoorProductPayload, JoorSkuPayload } from './catalog.types';
import { convertMoney, isDecimal, isRate, toJoorMoney } from './catalog-money';
import { payloadHash } from './payload-hash';
import { DEFAULT_PRICE_LABEL, matchPriceTypes, type PriceTypeRef } from './price-types';

/** JOOR's documented field limits (v4 products). */
export const JOOR_LIMITS = { name: 100, productIdentifier: 45, externalId: 100, description: 500 } as const;

/** What a catalog run knows before mapping any style. */
export interface CatalogContext {
  /** AMC currencies by id. */
  currencies: Map<string, CatalogCurrency>;
  /** The MSRP's currency code (the connection's setting, else AMC's base currency). */
  defaultCurrency: string;
  /** JOOR's price types, in JOOR's order (see price-types.ts for how groups find theirs). */
  priceTypes: PriceTypeRef[];
  /** Size names of each AMC size range, in the range's order. */
  sizeRanges: Map<string, string[]>;
  traitIds: { color: string; size: string };
  colorwaysAsProducts: boolean;
}

/** Everything AMC holds about one style: the product, its colorways and its SKUs. */
export interface AmcStyle {
  product: CatalogProduct;
  colorways: CatalogColorway[];
  skus: CatalogSku[];
}

export interface MappedPrice {
  /** `<sku link key>:<price type id>`: the link key. */
  key: string;
  /** The SKU's link key. */
  skuKey: string;
  priceTypeId: string;
  currency: string;
  /** The AMC price group it comes from (the price label). */
  label: string;
  wholesale: string;
  /** Null: no retail price (no MSRP, or no rate to convert it); an update then clears JOOR's. */
  retail: string | null;
  hash: string;
}

/** How JOOR knows a SKU besides its id (what an inventory row names it by). */
export interface SkuIdentity {
  /** The external id of the SKU's product (JOOR's style identifier). */
  style: string;
  styleNumber: string;
  colorCode: string;
  color: string;
  size: string;
  upc: string | null;
}

export interface MappedSku {
  /** The link key: AMC sku_id, with `:cw` when colorways are sent as products (see `skuLinkKey`). */
  key: string;
  /** AMC sku_id. */
  skuId: string;
  payload: JoorSkuPayload;
  identity: SkuIdentity;
  hash: string;
  prices: MappedPrice[];
}

export interface MappedProduct {
  /** AMC product_id, or `<product_id>:<color_code>` for a colorway sent as its own product. */
  key: string;
  payload: JoorProductPayload;
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

/**
 * A SKU lives under one JOOR product, so a SKU sent under a colorway's own product is another JOOR
 * SKU than the same AMC SKU under its style's product: link key and external id say which, and
 * switching `syncColorwaysAsProducts` creates the SKUs anew under the new products (the old ones go
 * INACTIVE) instead of finding the old ones again.
 */
export function skuLinkKey(skuId: string, colorwaysAsProducts: boolean): string {
  return colorwaysAsProducts ? `${skuId}:cw` : skuId;
}

/** The AMC sku_id of a SKU link key. */
export function skuIdOfLinkKey(key: string): string {
  return key.split(':')[0];
}

export function skuExternalId(skuId: string, colorwaysAsProducts = false): string {
  return colorwaysAsProducts ? `amc-sku-${skuId}-cw` : `amc-sku-${skuId}`;
}

export function priceKey(skuKey: string, priceTypeId: string): string {
  return `${skuKey}:${priceTypeId}`;
}

interface PricePlan {
  priceTypeId: string;
  currency: string;
  label: string;
  wholesale: string;
  retail: string | null;
}

/**
 * Maps one AMC style to the JOOR products, SKUs and prices it should be. Pure. Rules:
 * - only a style flagged at product level is sent, and of it only the active SKUs flagged at SKU
 *   level whose colorway is flagged too (what JOOR has of the others is made INACTIVE by the writer);
 * - name: style name, else web title; description: web description, else description;
 * - each SKU carries its Color (value: color name, external id: color code) and Size traits, its
 *   UPC; every field the hash covers is sent on update too, so a cleared value is cleared on JOOR;
 * - every price group is its own price on its own price type (price-types.ts): wholesale = the
 *   group's price, retail = the MSRP (in the connection's default currency) converted into the
 *   group's currency at AMC's rate (catalog-money.ts); no priced group: the standard price;
 * - bad data fails the style with every reason found; a price group without a JOOR price type or
 *   a SKU without color or size only skips that price or SKU, with a warning.
 */
export function mapStyle(style: AmcStyle, ctx: CatalogContext): MappedStyle {
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

  if (!isDecimal(product.price)) reasons.push(`standard price "${product.price}" is not a number`);
  else if (product.price.trim().startsWith('-')) reasons.push(`standard price ${product.price} is negative`);
  const prices = planPrices(product, ctx, reasons, warnings);

  const colorways = new Map(style.colorways.map((c) => [c.attribute_2, c]));
  const colorOrder = new Map(style.colorways.map((c, i) => [c.attribute_2, i]));
  const sizes = ctx.sizeRanges.get(product.size_range_id) ?? [];
  const sorted = [...style.skus].sort(
    (a, b) =>
      (colorOrder.get(a.attr_2) ?? 1e6) - (colorOrder.get(b.attr_2) ?? 1e6) ||
      a.attr_2.localeCompare(b.attr_2) ||
      sizeIndex(sizes, a) - sizeIndex(sizes, b) ||
      a.sku_id.localeCompare(b.sku_id, undefined, { numeric: true }),
  );

  const skus: Array<{ sku: CatalogSku; colorCode: string; mapped: MappedSku }> = [];
  const upcs = new Map<string, string>();
  for (const sku of sorted) {
    const colorway = colorways.get(sku.attr_2);
    if (sku.joor_sync !== '1' || sku.active !== '1' || (colorway?.joor_sync ?? '1') !== '1') continue;
    const key = skuLinkKey(sku.sku_id, ctx.colorwaysAsProducts);
    const color = (sku.attr_2 ?? '').trim();
    const size = (sku.size ?? '').trim();
    if (!color || !size) {
      skuFailures.push({ entityType: 'sku', entityKey: key, reason: `SKU ${sku.sku_id} of style ${styleNumber || product.product_id} has no ${color ? 'size' : 'color'}; JOOR needs both` });
      continue;
    }
    const upc = (sku.upc_display ?? '').trim();
    if (upc) {
      const other = upcs.get(upc);
      if (other) reasons.push(`UPC ${upc} is on two SKUs of the style (${other} and ${sku.sku_id})`);
      else upcs.set(upc, sku.sku_id);
    }
    const colorCode = (colorway?.color_code || color).trim();
    const payload: JoorSkuPayload = {
      external_id: skuExternalId(sku.sku_id, ctx.colorwaysAsProducts),
      sku_identifier: `${styleNumber}-${colorCode}-${size}`.slice(0, 100),
      trait_values: [
        { trait_id: ctx.traitIds.color, value: color, external_id: colorCode },
        { trait_id: ctx.traitIds.size, value: size },
      ],
      identifiers: upc ? [{ type: 'upc', value: upc }] : [],
      status: 'ACTIVE',
    };
    const skuPrices: MappedPrice[] = prices.map((p) => {
      const value = { wholesale: p.wholesale, retail: p.retail };
      return { key: priceKey(key, p.priceTypeId), skuKey: key, priceTypeId: p.priceTypeId, currency: p.currency, label: p.label, ...value, hash: payloadHash(value) };
    });
    const identity: SkuIdentity = { style: productExternalId(styleNumber, ctx.colorwaysAsProducts ? colorCode : undefined), styleNumber, colorCode, color, size, upc: upc || null };
    skus.push({ sku, colorCode, mapped: { key, skuId: sku.sku_id, payload, identity, hash: payloadHash(payload), prices: skuPrices } });
  }

  if (reasons.length > 0) return { kind: 'failed', productId: product.product_id, reasons };

  const base = (suffix?: { colorName: string; colorCode: string }): JoorProductPayload => {
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
  const push = (key: string, payload: JoorProductPayload, members: MappedSku[]): void => {
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
    push(
      product.product_id,
      base(),
      skus.map((s) => s.mapped),
    );
  }
  if (reasons.length > 0) return { kind: 'failed', productId: product.product_id, reasons };
  return { kind: 'synced', productId: product.product_id, season: product.season ?? '', products, warnings, skuFailures };
}

/** The style's prices (one per price group that finds a JOOR price type), or the standard price when none does. */
function planPrices(product: CatalogProduct, ctx: CatalogContext, reasons: string[], warnings: StyleIssue[]): PricePlan[] {
  const msrp = product.retail_price;
  let hasMsrp = msrp !== null && msrp !== undefined && msrp.trim() !== '';
  if (hasMsrp) {
    if (!isDecimal(msrp)) reasons.push(`MSRP "${msrp}" is not a number`);
    else if (msrp.trim().startsWith('-')) reasons.push(`MSRP ${msrp} is negative`);
    // An MSRP of 0 is AMC's "none": JOOR shows no retail price rather than 0.00.
    else if (/^0*(\.0*)?$/.test(msrp.trim())) hasMsrp = false;
  }
  const groups: Array<{ label: string; currency: string; price: string; id: string }> = [];
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
    groups.push({ id: group.id, label: group.price_group, currency: currency.name.trim().toUpperCase(), price: group.price });
  }
  if (reasons.length > 0) return [];

  const plans: PricePlan[] = [];
  const retail = retailConverter(product, hasMsrp ? msrp : null, ctx, warnings);
  for (const { group, type } of matchPriceTypes(groups, ctx.priceTypes)) {
    if (!type) {
      warnings.push({
        entityType: 'price',
        entityKey: `${product.product_id}:${group.id}`,
        reason: `style ${product.style_number}: price group "${group.label}" (${group.currency}) finds no JOOR price type: none is named "${group.label}" and no other ${group.currency} price type is free; that price is not sent (add a ${group.currency} price type named "${group.label}" in JOOR to send it)`,
      });
      continue;
    }
    plans.push({ priceTypeId: type.id, currency: group.currency, label: group.label, wholesale: toJoorMoney(group.price), retail: retail(group.currency) });
  }
  if (plans.length > 0) return plans;

  const fallback = { label: DEFAULT_PRICE_LABEL, currency: ctx.defaultCurrency.trim().toUpperCase() };
  const [match] = matchPriceTypes([fallback], ctx.priceTypes);
  if (!match.type) {
    warnings.push({
      entityType: 'price',
      entityKey: `${product.product_id}:standard`,
      reason: `style ${product.style_number}: no price group has a JOOR price type and JOOR has no ${fallback.currency} price type for the standard price; no price is sent`,
    });
    return [];
  }
  return [{ priceTypeId: match.type.id, currency: fallback.currency, label: DEFAULT_PRICE_LABEL, wholesale: toJoorMoney(product.price), retail: retail(fallback.currency) }];
}

/** The MSRP in a currency, converted from the connection's default currency; null with a warning when it cannot be. */
function retailConverter(product: CatalogProduct, msrp: string | null, ctx: CatalogContext, warnings: StyleIssue[]): (currency: string) => string | null {
  const byCode = new Map([...ctx.currencies.values()].map((c) => [c.name.trim().toUpperCase(), c]));
  const from = ctx.defaultCurrency.trim().toUpperCase();
  const warned = new Set<string>();
  return (to) => {
    if (msrp === null || !isDecimal(msrp)) return null;
    if (to === from) return toJoorMoney(msrp);
    const fromRate = byCode.get(from)?.rate;
    const toRate = byCode.get(to)?.rate;
    if (isRate(fromRate) && isRate(toRate)) return convertMoney(msrp, { from: fromRate, to: toRate });
    if (!warned.has(to)) {
      warned.add(to);
      const missing = !isRate(fromRate) ? from : to;
      warnings.push({
        entityType: 'price',
        entityKey: `${product.product_id}:retail-${to}`,
        reason: `style ${product.style_number}: the MSRP cannot be converted from ${from} into ${to}: AMC has no usable exchange rate for ${missing}; its ${to} prices go without a retail price`,
      });
    }
    return null;
  };
}

function firstText(...values: Array<string | null | undefined>): string {
  for (const value of values) if (value && value.trim()) return value.trim();
  return '';
}

function sizeIndex(sizes: string[], sku: CatalogSku): number {
  const at = sizes.indexOf(sku.size);
  return at >= 0 ? at : 1000 + (sku.size_position ?? 0);
}
