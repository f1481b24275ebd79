import type { AmcClient, AmcCurrency, AmcFilter, AmcProduct, AmcProductAttribute, AmcSizeRange, AmcSku } from '@app/amc-client';
import type { SyncMode as CatalogMode } from '@app/sync-core';
import type { CatalogSyncTuning } from './catalog-sync.tuning';

/** A page of styles to look at: the readable products, the unreadable ones, and the run's total when known. */
export interface StylePage {
  records: AmcProduct[];
  invalid: Array<{ id: string; problems: string[] }>;
  total: number | null;
}

/** What a page of styles holds besides the products: their SKUs and colorways. */
export interface StyleParts {
  skus: AmcSku[];
  colorways: AmcProductAttribute[];
}

/**
 * Reads the catalog from AMC (free of JOOR credits): reference data, the styles a run looks at a
 * page at a time (all, changed since the cursor, named, or due), and each page's SKUs and colorways
 * through OR-joined filters.
 */
export class AmcCatalogReader {
  constructor(
    private readonly amc: AmcClient,
    private readonly tuning: Pick<CatalogSyncTuning, 'stylesPerPage' | 'idsPerAmcQuery'>,
  ) {}

  async reference(): Promise<{ currencies: AmcCurrency[]; sizeRanges: AmcSizeRange[] }> {
    const currencies = (await this.amc.list('currencies')).records;
    const sizeRanges = (await this.amc.list('size_ranges')).records;
    return { currencies, sizeRanges };
  }

  /** The styles to look at, a page at a time: all of them, those changed since `since` (and the due ones), or the named ones. */
  async *pages(mode: CatalogMode, since: string | null, styleNumbers: string[], due: string[]): AsyncGenerator<StylePage> {
    if (mode === 'full') {
      for await (const page of this.amc.pages('products', { pageSize: this.tuning.stylesPerPage })) yield { records: page.records, invalid: invalidOf(page.invalid), total: page.totalRecords };
      return;
    }
    if (mode === 'styles') {
      const wanted = [...new Set(styleNumbers)];
      yield* this.productsBy('style_number', wanted);
      return;
    }
    // A style changed itself, or one of its SKUs or colorways did (a SKU's SYNC flag lives on the SKU), or it is due.
    const ids = new Set<string>(due);
    for (const resource of ['products', 'inventory', 'product_attributes'] as const) {
      for await (const page of this.amc.pagesModifiedSince(resource, since!, { pageSize: 1000 })) for (const r of page.records) ids.add(r.product_id);
    }
    yield* this.productsBy(
      'product_id',
      [...ids].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
    );
  }

  /** The SKUs and colorways of these styles. */
  async parts(productIds: string[]): Promise<StyleParts> {
    const [skus, colorways] = await Promise.all([this.byProductIds('inventory', productIds), this.byProductIds('product_attributes', productIds)]);
    return { skus, colorways };
  }

  private async *productsBy(field: string, values: string[]): AsyncGenerator<StylePage> {
    for (let i = 0; i < values.length; i += this.tuning.stylesPerPage) {
      const page: StylePage = { records: [], invalid: [], total: i === 0 ? values.length : null };
      for (const filters of orFilters(field, values.slice(i, i + this.tuning.stylesPerPage), this.tuning.idsPerAmcQuery)) {
        const listed = await this.amc.list('products', { filters, pageSize: 1000 });
        page.records.push(...listed.records);
        page.invalid.push(...invalidOf(listed.invalid));
      }
      yield page;
    }
  }

  private byProductIds(resource: 'inventory', ids: string[]): Promise<AmcSku[]>;
  private byProductIds(resource: 'product_attributes', ids: string[]): Promise<AmcProductAttribute[]>;
  private async byProductIds(resource: 'inventory' | 'product_attributes', ids: string[]): Promise<Array<AmcSku | AmcProductAttribute>> {
    const out: Array<AmcSku | AmcProductAttribute> = [];
    for (const filters of orFilters('product_id', ids, this.tuning.idsPerAmcQuery)) out.push(...(await this.amc.list(resource, { filters, pageSize: 1000 })).records);
    return out;
  }
}

function invalidOf(invalid: Array<{ id: string | null; problems: string[] }>): StylePage['invalid'] {
  return invalid.map((i) => ({ id: i.id ?? 'unknown', problems: i.problems }));
}

/** `field = v1 OR field = v2 ...`, cut so a query string stays a few kB. */
function orFilters(field: string, values: string[], perQuery: number): AmcFilter[][] {
  const out: AmcFilter[][] = [];
  for (let i = 0; i < values.length; i += perQuery) {
    out.push(values.slice(i, i + perQuery).map((value, j) => ({ field, operator: '=', value, ...(j > 0 ? { includeType: 'OR' as const } : {}) })));
  }
  return out;
}
