import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AMC_SCHEMA } from '../store/amc-schema.sql';
import { AmcStoreRepository, type AmcRecord } from '../store/amc-store.repository';

export const QTY_FIELDS = ['qty_inventory', 'qty_avail_sell', 'qty_alloc', 'qty_avail_alloc', 'qty_open_sales', 'qty_open_po', 'qty_in_transit'] as const;
export type QtyField = (typeof QTY_FIELDS)[number];
export type Quantities = Record<QtyField, number>;

export type StockChange = { sku: AmcRecord } | { missing: 'sku' } | { missing: 'warehouse'; warehouseId: string };

/**
 * Stock is kept per warehouse (`sku_warehouse`); the company-wide `/inventory` row is the sum of
 * the SKU's warehouse rows, as AMC shows it. Every change goes through here inside a transaction.
 */
@Injectable()
export class AmcStockService {
  constructor(private readonly store: AmcStoreRepository) {}

  /** Applies `change` to the SKU's row in `warehouseId` (default: the brand's main warehouse), then re-sums. */
  async change(tx: EntityManager, skuId: string, warehouseId: string | undefined, change: (row: Quantities) => Partial<Quantities>, skuFields: AmcRecord, now: Date): Promise<StockChange> {
    const locked = (await tx.query(`SELECT 1 FROM ${AMC_SCHEMA}.records WHERE resource = 'inventory' AND id = $1 FOR UPDATE`, [skuId])) as unknown[];
    if (locked.length === 0) return { missing: 'sku' };
    const rows = await this.store.findBy('sku_warehouse', 'sku_id', skuId, tx);
    const fields: AmcRecord = { ...skuFields };
    if (rows.length === 0) {
      const current = (await this.store.get('inventory', skuId, tx))!;
      Object.assign(fields, stringify(change(quantitiesOf(current))));
    } else {
      const target = warehouseId ?? (await this.store.getSetting<{ amcWarehouseId?: string }>('brand'))?.amcWarehouseId ?? String(rows[0].warehouse_id);
      const row = rows.find((r) => String(r.warehouse_id) === target);
      if (!row) return { missing: 'warehouse', warehouseId: target };
      const patch = stringify(change(quantitiesOf(row)));
      Object.assign(row, patch);
      await this.store.patch('sku_warehouse', String(row.id), patch, now, tx);
      for (const field of QTY_FIELDS) fields[field] = String(rows.reduce((sum, r) => sum + Number(r[field] ?? 0), 0));
    }
    const sku = await this.store.patch('inventory', skuId, fields, now, tx);
    return { sku: sku! };
  }
}

function quantitiesOf(record: AmcRecord): Quantities {
  return Object.fromEntries(QTY_FIELDS.map((f) => [f, Number(record[f] ?? 0)])) as Quantities;
}

function stringify(quantities: Partial<Quantities>): AmcRecord {
  return Object.fromEntries(Object.entries(quantities).map(([k, v]) => [k, String(v)]));
}

/** An order line puts `qty` on open sales: available to sell drops (never below 0, as AMC shows it). Pure. */
export function allocate(row: Quantities, qty: number): Partial<Quantities> {
  const openSales = row.qty_open_sales + qty;
  return { qty_open_sales: openSales, qty_avail_sell: Math.max(0, row.qty_inventory - openSales) };
}
