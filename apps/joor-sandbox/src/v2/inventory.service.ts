import { Injectable } from '@nestjs/common';
import { SandboxDb } from '../store/sandbox-db';
import { checkItem, JoorHttpError, type FieldRule } from '../shared/joor-envelope';

type Row = Record<string, any>;

const ITEM_RULES: FieldRule[] = [
  { field: 'warehouse', kind: 'string', required: true, max: 100 },
  { field: 'inventory_date', kind: 'string' },
  { field: 'style_number', kind: 'string', max: 45 },
  { field: 'style_identifier', kind: 'string', max: 100 },
  { field: 'color_code', kind: 'string', max: 100 },
  { field: 'size', kind: 'string', max: 100 },
  { field: 'upc', kind: 'string', max: 50 },
  { field: 'inventory', kind: 'integer', required: true },
];
// A bulk-inventory call may carry many SKUs (JOOR documents no limit; a careful one).
export const MAX_INVENTORY_ITEMS = 5000;

export interface InventoryLogEntry {
  sku: string;
  inventory_log_id: number | null;
  status: string;
}

/** `inventory_items.inventory_item` as an array (an XML-born shape: one item may come unwrapped). */
export function inventoryItems(body: unknown): Row[] {
  const container = (body as Row | null)?.inventory_items?.inventory_item;
  if (container === undefined) throw new JoorHttpError(400, 'INVALID_REQUEST', 'The body must be {"inventory_items": {"inventory_item": [...]}}');
  const items = Array.isArray(container) ? container : [container];
  if (items.length === 0) throw new JoorHttpError(400, 'INVALID_REQUEST', 'inventory_item holds no items');
  if (items.length > MAX_INVENTORY_ITEMS) throw new JoorHttpError(400, 'BULK_LIMIT_EXCEEDED', `At most ${MAX_INVENTORY_ITEMS} inventory items per request`);
  return items as Row[];
}

function inventoryDate(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '' || raw === 'IMMEDIATE') return 'IMMEDIATE';
  return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : null;
}

function madeToOrder(raw: unknown): boolean {
  return raw === true || raw === 1 || raw === '1' || raw === 'true';
}

@Injectable()
export class InventoryService {
  constructor(private readonly db: SandboxDb) {}

  async bulk(body: unknown, overwrite: boolean, decPending: boolean): Promise<{ sku_count: number; inventory_log: InventoryLogEntry[] }> {
    const items = inventoryItems(body);
    const warehouses = new Set((await this.db.query<Row>('SELECT name FROM joor_sandbox.warehouses')).map((row) => row.name as string));
    const unknown = [...new Set(items.map((item) => item?.warehouse).filter((name) => typeof name === 'string' && !warehouses.has(name)))];
    if (unknown.length) {
      throw new JoorHttpError(400, 'INVALID_REQUEST', `Unknown warehouse: ${unknown.join(', ')}. The warehouse must exist in JOOR.`, { warehouses: unknown });
    }
    const skus = await this.db.query<Row>(
      `SELECT s.id, s.product_id, s.upc, s.color_value, s.color_external_id, s.size_value, p.external_id AS style_identifier, p.product_identifier AS style_number
       FROM joor_sandbox.skus s JOIN joor_sandbox.products p ON p.id = s.product_id
       WHERE s.upc = ANY($1::text[]) OR p.external_id = ANY($2::text[]) OR p.product_identifier = ANY($3::text[])`,
      [items.map((i) => i?.upc ?? null).filter(Boolean), items.map((i) => i?.style_identifier ?? null).filter(Boolean), items.map((i) => i?.style_number ?? null).filter(Boolean)],
    );
    const byUpc = new Map(skus.filter((s) => s.upc).map((s) => [s.upc as string, s]));
    const byStyle = new Map<string, Row>();
    for (const s of skus) {
      for (const style of [s.style_identifier, s.style_number]) {
        if (!style) continue;
        for (const color of [s.color_external_id, s.color_value]) if (color) byStyle.set(`${style}\u0000${color}\u0000${s.size_value}`, s);
      }
    }
    const log: InventoryLogEntry[] = [];
    const writes: Array<{ warehouse: string; sku_id: number; inventory_date: string; quantity: number; made_to_order: boolean; product_id: number }> = [];
    for (const item of items) {
      const label = String(item?.upc || [item?.style_identifier ?? item?.style_number, item?.color_code, item?.size].join('/'));
      const problem = checkItem(item, ITEM_RULES);
      if (problem) {
        log.push({ sku: label, inventory_log_id: null, status: `Error: ${problem.message}` });
        continue;
      }
      const date = inventoryDate(item.inventory_date);
      if (!date) {
        log.push({ sku: label, inventory_log_id: null, status: 'Error: inventory_date must be IMMEDIATE or YYYY-MM-DD' });
        continue;
      }
      const sku =
        (item.upc && byUpc.get(item.upc)) ||
        byStyle.get(`${item.style_identifier}\u0000${item.color_code}\u0000${item.size}`) ||
        byStyle.get(`${item.style_number}\u0000${item.color_code}\u0000${item.size}`);
      if (!sku) {
        log.push({ sku: label, inventory_log_id: null, status: 'Error: SKU not found' });
        continue;
      }
      writes.push({
        warehouse: item.warehouse,
        sku_id: Number(sku.id),
        inventory_date: date,
        quantity: item.inventory,
        made_to_order: madeToOrder(item.made_to_order),
        product_id: Number(sku.product_id),
      });
      log.push({ sku: label, inventory_log_id: 0, status: 'Success' });
    }
    await this.db.tx(async (on) => {
      if (overwrite && writes.length) {
        // Overwrite mode: every SKU of a style in the feed that the feed left out drops to zero in that warehouse.
        await this.db.query(
          `UPDATE joor_sandbox.inventory i SET quantity = 0, updated_at = now()
           FROM joor_sandbox.skus s, (SELECT DISTINCT warehouse, product_id FROM jsonb_to_recordset($1::jsonb) AS x(warehouse text, product_id bigint)) AS fed
           WHERE i.sku_id = s.id AND s.product_id = fed.product_id AND i.warehouse = fed.warehouse
             AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS y(warehouse text, sku_id bigint) WHERE y.warehouse = i.warehouse AND y.sku_id = i.sku_id)`,
          [JSON.stringify(writes)],
          on,
        );
      }
      await this.db.query(
        `INSERT INTO joor_sandbox.inventory (warehouse, sku_id, inventory_date, quantity, made_to_order, dec_pending)
         SELECT warehouse, sku_id, inventory_date, quantity, made_to_order, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(warehouse text, sku_id bigint, inventory_date text, quantity int, made_to_order boolean)
         ON CONFLICT (warehouse, sku_id, inventory_date) DO UPDATE SET quantity = EXCLUDED.quantity, made_to_order = EXCLUDED.made_to_order, dec_pending = EXCLUDED.dec_pending, updated_at = now()`,
        // A SKU sent twice in one call: the later row wins.
        [JSON.stringify([...new Map(writes.map((w) => [`${w.warehouse}\u0000${w.sku_id}\u0000${w.inventory_date}`, w])).values()]), decPending],
        on,
      );
    });
    let logId = Date.now() % 1_000_000_000;
    for (const entry of log) if (entry.inventory_log_id === 0) entry.inventory_log_id = logId++;
    return { sku_count: writes.length, inventory_log: log };
  }

  /** Stock by warehouse; with dec_pending the quantity on open (Pending/Approved) orders is taken off. */
  async state(warehouse: string | null): Promise<unknown[]> {
    return this.db.query(
      `SELECT i.warehouse, i.sku_id::int AS sku_id, s.external_id AS sku_external_id, s.upc, p.external_id AS style_identifier, s.color_value AS color, s.size_value AS size,
              i.inventory_date, i.quantity, i.made_to_order, i.dec_pending,
              (CASE WHEN i.dec_pending THEN i.quantity - COALESCE(pending.qty, 0) ELSE i.quantity END)::int AS available
       FROM joor_sandbox.inventory i
       JOIN joor_sandbox.skus s ON s.id = i.sku_id JOIN joor_sandbox.products p ON p.id = s.product_id
       LEFT JOIN LATERAL (
         SELECT sum((line->>'item_quantity')::int) AS qty FROM joor_sandbox.orders o CROSS JOIN LATERAL jsonb_array_elements(o.data->'line_items') AS line
         WHERE o.status IN ('Pending', 'Approved') AND line->>'item_upc' = s.upc
       ) pending ON i.dec_pending
       WHERE ($1::text IS NULL OR i.warehouse = $1)
       ORDER BY i.warehouse, i.sku_id, i.inventory_date`,
      [warehouse],
    );
  }
}
