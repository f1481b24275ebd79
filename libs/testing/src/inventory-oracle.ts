import type { Brand } from '@app/sandbox-seed';
import { expectedCatalog } from './catalog-oracle';
import type { JoorSandboxHarness } from './joor-sandbox-harness';

type StockField = 'qty_inventory' | 'qty_avail_sell' | 'qty_avail_alloc' | 'qty_open_sales';

/**
 * The stock JOOR should show after an inventory sync of a seeded brand, from the written rules
 * (shares nothing with the inventory code): every SKU on JOOR (catalog-oracle's R1/R3), the chosen
 * field of its row in the chosen AMC warehouse (none: 0), never below 0. Keyed
 * `<style external id>|<color>|<size>` like the catalog oracle's SKUs.
 */
export function expectedStock(brand: Brand, options: { warehouseId: string; field: StockField; colorwaysAsProducts?: boolean }): Map<string, number> {
  const skuByUpc = new Map(brand.amc.skus.map((s) => [s.upc_display, s]));
  const rows = new Map(brand.amc.skuWarehouse.filter((r) => r.warehouse_id === options.warehouseId).map((r) => [r.sku_id, r]));
  const out = new Map<string, number>();
  for (const [key, upc] of expectedCatalog(brand, { colorwaysAsProducts: options.colorwaysAsProducts }).skus) {
    const sku = skuByUpc.get(upc)!;
    out.set(key, Math.max(0, rows.get(sku.sku_id)?.[options.field] ?? 0));
  }
  return out;
}

/** What the JOOR sandbox holds in a warehouse (immediate stock of ACTIVE SKUs), keyed like `expectedStock`. */
export async function actualStock(joor: JoorSandboxHarness, warehouse: string): Promise<Map<string, number>> {
  const rows: Array<{ sku_id: number; style_identifier: string; color: string; size: string; inventory_date: string; quantity: number }> = await joor.control(
    'GET',
    `state/inventory?warehouse=${encodeURIComponent(warehouse)}`,
  );
  const skus: Array<{ id: number; status: string }> = await joor.control('GET', 'state/skus');
  const active = new Set(skus.filter((s) => s.status === 'ACTIVE').map((s) => s.id));
  const out = new Map<string, number>();
  for (const row of rows) if (row.inventory_date === 'IMMEDIATE' && active.has(row.sku_id)) out.set(`${row.style_identifier}|${row.color}|${row.size}`, row.quantity);
  return out;
}
