import type { AmcClient, AmcCustomer, AmcFilter, AmcOrder, AmcProduct, AmcSku } from '@app/amc-client';
import { skuKeyOf, type JoorOrderLineInput, type ResolvedSku } from '@app/mapping';

// Values per OR-joined lookup: ~130 characters of query each keeps the URL far below common 8 KB limits.
const LOOKUP_CHUNK = 40;

/**
 * AMC lookups of one poll, cached for its length: customers by JOOR code, SKUs by UPC or by style
 * number + color code + size, currencies by code, and orders already carrying a JOOR id. Lookups
 * of many values are batched into one OR-joined filter per chunk.
 */
export class AmcOrderLookup {
  private currencies: Map<string, string> | null = null;
  private readonly customers = new Map<string, AmcCustomer | null>();
  private readonly skusByUpc = new Map<string, AmcSku | null>();
  private readonly styles = new Map<string, StyleSkus | null>();

  constructor(private readonly amc: AmcClient) {}

  async currencyIdByCode(): Promise<Map<string, string>> {
    if (!this.currencies) {
      const { records } = await this.amc.list('currencies');
      this.currencies = new Map(records.map((c) => [c.name.toUpperCase(), c.id]));
    }
    return this.currencies;
  }

  /** AMC orders already carrying each of these JOOR ids (the look before any create). */
  async existingOrders(joorIds: string[]): Promise<Map<string, AmcOrder[]>> {
    const found = new Map<string, AmcOrder[]>(joorIds.map((id) => [id, []]));
    for (const records of await this.anyOf('orders', 'joor_id', joorIds)) {
      for (const order of records) found.get(order.joor_id)?.push(order);
    }
    for (const list of found.values()) list.sort((a, b) => a.order_id.localeCompare(b.order_id, undefined, { numeric: true }));
    return found;
  }

  /** Loads the customers of these JOOR codes into the cache. */
  async loadCustomers(codes: string[]): Promise<void> {
    const missing = [...new Set(codes)].filter((code) => !this.customers.has(code));
    for (const code of missing) this.customers.set(code, null);
    for (const records of await this.anyOf('customers', 'joor_customer_code', missing)) {
      // Several AMC customers with one JOOR code: the lowest id, as AMC's own plugin would find first.
      for (const customer of records.sort((a, b) => a.customer_id.localeCompare(b.customer_id, undefined, { numeric: true }))) {
        if (!this.customers.get(customer.joor_customer_code)) this.customers.set(customer.joor_customer_code, customer);
      }
    }
  }

  customer(code: string): { customer_id: string; ship_to_id: string | null } | null {
    const customer = this.customers.get(code);
    if (!customer) return null;
    const main = customer.locations.find((l) => l.is_main_location === '1') ?? customer.locations[0];
    return { customer_id: customer.customer_id, ship_to_id: main?.ship_to_id || null };
  }

  /** Loads what these lines need: SKUs by UPC first, then the styles of the lines whose UPC found nothing. */
  async loadSkus(lines: JoorOrderLineInput[]): Promise<void> {
    const upcs = [...new Set(lines.map((l) => skuKeyOf(l).upc).filter((u): u is string => !!u))].filter((u) => !this.skusByUpc.has(u));
    for (const upc of upcs) this.skusByUpc.set(upc, null);
    for (const records of await this.anyOf('inventory', 'upc_display', upcs)) {
      for (const sku of records) this.skusByUpc.set(sku.upc_display, sku);
    }
    const styleNumbers = new Set<string>();
    for (const line of lines) {
      const key = skuKeyOf(line);
      if (key.upc && this.skusByUpc.get(key.upc)) continue;
      for (const number of key.styleNumbers) if (!this.styles.has(number)) styleNumbers.add(number);
    }
    await this.loadStyles([...styleNumbers]);
  }

  /**
   * The SKU a line names, by UPC or else by style number + color (code, else name) + size, the
   * style number being any the line may mean (see skuKeyOf); null when AMC has none.
   */
  sku(line: JoorOrderLineInput): ResolvedSku | null {
    const key = skuKeyOf(line);
    const byUpc = key.upc ? this.skusByUpc.get(key.upc) : null;
    if (byUpc) return { sku_id: byUpc.sku_id, active: byUpc.active === '1' };
    if (!key.size || (!key.colorCode && !key.colorName)) return null;
    const size = key.size.toUpperCase();
    for (const number of key.styleNumbers) {
      const style = this.styles.get(number);
      if (!style) continue;
      const colorName = (key.colorCode && style.colorNames.get(key.colorCode.toUpperCase())) ?? key.colorName;
      if (!colorName) continue;
      const sku = style.skus.find((s) => s.attr_2.toUpperCase() === colorName.toUpperCase() && s.size.toUpperCase() === size);
      if (sku) return { sku_id: sku.sku_id, active: sku.active === '1' };
    }
    return null;
  }

  private async loadStyles(styleNumbers: string[]): Promise<void> {
    for (const number of styleNumbers) this.styles.set(number, null);
    const products: AmcProduct[] = (await this.anyOf('products', 'style_number', styleNumbers)).flat();
    for (const product of products) {
      const [{ records: attributes }, { records: skus }] = await Promise.all([
        this.amc.productAttributes(product.product_id),
        this.amc.list('inventory', { where: { product_id: product.product_id } }),
      ]);
      this.styles.set(product.style_number, {
        colorNames: new Map(attributes.map((a) => [a.color_code.toUpperCase(), a.attribute_2])),
        skus,
      });
    }
  }

  /** Records whose `field` equals any of `values`, one OR-joined read per chunk. */
  private async anyOf<R extends 'orders' | 'customers' | 'inventory' | 'products'>(resource: R, field: string, values: string[]) {
    const pages = [];
    for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
      const filters: AmcFilter[] = values.slice(i, i + LOOKUP_CHUNK).map((value, n) => ({ field, operator: '=', value, ...(n > 0 ? { includeType: 'OR' as const } : {}) }));
      const { records, invalid } = await this.amc.list(resource, { filters });
      if (invalid.length > 0 && resource === 'orders') {
        // An unreadable order record could be the one carrying a JOOR id: creating now could duplicate it.
        throw new Error(`AMC answered ${invalid.length} unreadable order record(s) while looking for JOOR ids: ${invalid[0].problems.join('; ')}`);
      }
      pages.push(records);
    }
    return pages;
  }
}

interface StyleSkus {
  /** Color name (AMC attribute_2) by color code. */
  colorNames: Map<string, string>;
  skus: AmcSku[];
}
