import type { AmcClient, AmcFilter, AmcProduct, AmcProductAttribute } from '@app/amc-client';

export interface MediaStylePage {
  products: AmcProduct[];
  colorways: AmcProductAttribute[];
  /** Records AMC sent that cannot be read, with why. */
  invalid: Array<{ id: string; problems: string[] }>;
}

/**
 * Reads what media-sync needs from AMC (free of JOOR credits): styles and their colorways by
 * product id, the product ids changed since a time (a style's or a colorway's images changed),
 * and the product ids of style numbers.
 */
export class AmcMediaReader {
  constructor(
    private readonly amc: AmcClient,
    private readonly idsPerQuery: number,
  ) {}

  async styles(productIds: string[]): Promise<MediaStylePage> {
    const out: MediaStylePage = { products: [], colorways: [], invalid: [] };
    for (const filters of orFilters('product_id', productIds, this.idsPerQuery)) {
      const [products, colorways] = await Promise.all([this.amc.list('products', { filters, pageSize: 1000 }), this.amc.list('product_attributes', { filters, pageSize: 1000 })]);
      out.products.push(...products.records);
      out.colorways.push(...colorways.records);
      for (const bad of [...products.invalid, ...colorways.invalid]) out.invalid.push({ id: bad.id ?? 'unknown', problems: bad.problems });
    }
    return out;
  }

  /** Product ids whose style or colorway records changed at or after `since` (AMC's `last_modified_time >=`). */
  async changedSince(since: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const resource of ['products', 'product_attributes'] as const) {
      for await (const page of this.amc.pagesModifiedSince(resource, since, { pageSize: 1000 })) for (const r of page.records) ids.add(r.product_id);
    }
    return ids;
  }

  async productIdsOf(styleNumbers: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const filters of orFilters('style_number', [...new Set(styleNumbers)], this.idsPerQuery))
      ids.push(...(await this.amc.list('products', { filters, pageSize: 1000 })).records.map((p) => p.product_id));
    return ids;
  }

  imageUrl(img: string): string {
    return this.amc.imageUrl(img);
  }
}

/** OR-joined `field = value` filters, `per` values a query (keeps the query string a few kB). */
function orFilters(field: string, values: string[], per: number): AmcFilter[][] {
  const out: AmcFilter[][] = [];
  for (let i = 0; i < values.length; i += per) {
    out.push(values.slice(i, i + per).map((value, n) => ({ field, operator: '=' as const, value, ...(n > 0 ? { includeType: 'OR' as const } : {}) })));
  }
  return out;
}
