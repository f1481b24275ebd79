import type { AmcClient, AmcFilter, AmcQuantities } from '@app/amc-client';
import type { StockField } from '@app/contracts';

/** A SKU's quantity of the chosen stock field in the chosen warehouse. */
export interface StockRow {
  skuId: string;
  quantity: number;
}

export interface StockPage {
  rows: StockRow[];
  /** Rows AMC sent that cannot be read (a quantity that is not a number, say), with why. */
  invalid: Array<{ id: string; problems: string[] }>;
}

// Ids per OR-joined AMC read: keeps the query string a few kB.
const IDS_PER_QUERY = 50;

/**
 * Reads stock from AMC (free of JOOR credits): per warehouse from `/sku_warehouse?warehouse_id=`
 * (the plugin's one Warehouse), or AMC's company-wide `/inventory` rows when the connection names
 * no warehouse; always the connection's stock field.
 */
export class AmcStockReader {
  constructor(
    private readonly amc: AmcClient,
    private readonly warehouseId: string | null,
    private readonly field: StockField,
  ) {}

  /** Every stock row of the warehouse, a page at a time. */
  async *all(): AsyncGenerator<StockPage> {
    for await (const page of this.pages()) yield page;
  }

  /** The rows changed at or after `since` (AMC's `last_modified_time >=`). */
  async *changedSince(since: string): AsyncGenerator<StockPage> {
    for await (const page of this.pages([{ field: 'last_modified_time', operator: '>=', value: since }])) yield page;
  }

  /** The rows of these SKUs; a SKU without a row has none of this stock. */
  async forSkus(skuIds: string[]): Promise<StockPage> {
    const out: StockPage = { rows: [], invalid: [] };
    for (let i = 0; i < skuIds.length; i += IDS_PER_QUERY) {
      const filters: AmcFilter[] = skuIds.slice(i, i + IDS_PER_QUERY).map((value, n) => ({ field: 'sku_id', operator: '=', value, ...(n > 0 ? { includeType: 'OR' as const } : {}) }));
      for await (const page of this.pages(filters)) {
        out.rows.push(...page.rows);
        out.invalid.push(...page.invalid);
      }
    }
    return out;
  }

  private async *pages(filters: AmcFilter[] = []): AsyncGenerator<StockPage> {
    const source = this.warehouseId
      ? this.amc.pages('sku_warehouse', { filters, where: { warehouse_id: this.warehouseId }, pageSize: 1000 })
      : this.amc.pages('inventory', { filters, pageSize: 1000 });
    for await (const page of source) {
      // The warehouse filter is checked again here: how AMC joins a plain `warehouse_id=` with OR-joined
      // filters is not on record, and another warehouse's row must never pass for this one's.
      const records = page.records.filter((r) => !this.warehouseId || !('warehouse_id' in r) || r.warehouse_id === this.warehouseId);
      yield {
        rows: records.map((r) => ({ skuId: r.sku_id, quantity: (r as AmcQuantities)[this.field] })),
        invalid: page.invalid.map((i) => ({ id: i.id ?? 'unknown', problems: i.problems })),
      };
    }
  }
}
