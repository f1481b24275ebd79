import { Injectable } from '@nestjs/common';
import type { JoorOrder } from '@app/sandbox-seed';
import { Filters, isoDate, pageOf } from '../store/bulk-sql';
import { SandboxDb } from '../store/sandbox-db';
import { BulkOutcome, checkItem, itemError, JoorHttpError, toId, type FieldRule, type JoorEnvelope } from '../shared/joor-envelope';
import type { OrderFeedQuery } from '../v2/order-feed';

type Row = Record<string, any>;

export const EXPORT_STATUSES = ['Success', 'Failed', 'Pending'] as const;
const UPDATE_RULES: FieldRule[] = [
  { field: 'id', kind: 'id', required: true },
  { field: 'export_status', kind: 'string', oneOf: EXPORT_STATUSES },
  { field: 'export_description', kind: 'string', max: 255 },
];

/** The v2 feed's order record: JOOR's fields plus the export state. */
export function v2OrderRecord(row: Row) {
  const { seed_case: _seedCase, status: _status, ...order } = row.data as JoorOrder;
  return {
    ...order,
    order_status: row.status,
    date_modified: new Date(row.date_modified).toISOString(),
    export_status: row.export_status,
    export_description: row.export_description,
    date_exported: row.exported_on ? new Date(row.exported_on).toISOString() : null,
  };
}

export function v4OrderRecord(row: Row) {
  const order = row.data as JoorOrder;
  return {
    id: Number(row.order_id),
    order_number: row.order_id,
    status: row.status,
    currency_code: order.order_currency,
    total: order.order_total,
    customer_code: order.customer_code,
    po_number: order.customer_purchase_order,
    season_code: order.order_season_code,
    date_created: isoDate(order.date_created),
    date_modified: isoDate(row.date_modified),
    export_status: row.export_status,
    export_description: row.export_description,
    exported_on: isoDate(row.exported_on),
  };
}

@Injectable()
export class OrdersService {
  constructor(private readonly db: SandboxDb) {}

  /** `GET /v2/order/`. With sync=1 (JOOR's default) the page holds only never-requested orders, which are marked exported at once. */
  async feed(q: OrderFeedQuery): Promise<{ orders: unknown[]; start_from: number; count: number; total_count: number }> {
    const f = new Filters()
      .add((p) => `o.status = ANY(${p}::text[])`, q.statuses)
      .add((p) => `o.date_modified >= ${p}`, q.dateStart)
      .add((p) => `o.date_modified <= ${p}`, q.dateEnd)
      .add((p) => `o.data->>'customer_code' = ${p}`, q.customerCode)
      .add((p) => `o.order_id = ${p}`, q.orderId);
    if (q.exportFilter) f.raw(q.exportFilter);
    if (q.sync) f.raw(`o.sync_requested_at IS NULL AND o.export_status IS NULL`);
    return this.db.tx(async (on) => {
      const n = f.params.length;
      const rows = await this.db.query<Row>(
        `SELECT o.* FROM joor_sandbox.orders o ${f.where} ORDER BY o.date_modified, o.order_id LIMIT $${n + 1} OFFSET $${n + 2} ${q.sync ? 'FOR UPDATE' : ''}`,
        [...f.params, q.count, q.startFrom],
        on,
      );
      const total = await this.db.one<{ total: number }>(`SELECT count(*)::int AS total FROM joor_sandbox.orders o ${f.where}`, f.params, on);
      let page = rows;
      if (q.sync && rows.length) {
        page = await this.db.query<Row>(
          `UPDATE joor_sandbox.orders SET sync_requested_at = now(), export_status = 'Success', export_description = 'Exported on read (sync=1)', exported_on = now()
           WHERE order_id = ANY($1::text[]) RETURNING *`,
          [rows.map((row) => row.order_id)],
          on,
        );
        const order = new Map(rows.map((row, i) => [row.order_id, i]));
        page.sort((a, b) => order.get(a.order_id)! - order.get(b.order_id)!);
      }
      return { orders: page.map(v2OrderRecord), start_from: q.startFrom, count: page.length, total_count: total?.total ?? 0 };
    });
  }

  async list(filters: { ids: number[] | null; exportStatus: string | null; modifiedSince: string | null }, page: { limit: number; offset: number }): Promise<JoorEnvelope<unknown[]>> {
    if (filters.exportStatus && !(EXPORT_STATUSES as readonly string[]).includes(filters.exportStatus)) {
      throw new JoorHttpError(400, 'INVALID_REQUEST', `export_status must be one of ${EXPORT_STATUSES.join(', ')}`);
    }
    const f = new Filters()
      .add((p) => `order_id = ANY(${p}::text[])`, filters.ids?.map(String) ?? null)
      .add((p) => (filters.exportStatus === 'Pending' ? `(export_status IS NULL OR export_status = ${p})` : `export_status = ${p}`), filters.exportStatus)
      .add((p) => `date_modified >= ${p}::date`, filters.modifiedSince);
    const { rows, total } = await pageOf<Row>(this.db, 'joor_sandbox.orders', f.where, f.params, 'date_modified, order_id', page);
    return { data: rows.map(v4OrderRecord), errors: [], meta: { total, ...page } };
  }

  async lineItems(orderIds: number[]): Promise<JoorEnvelope<unknown[]>> {
    const rows = await this.db.query<Row>(
      `SELECT o.order_id, line, s.id AS sku_id, s.product_id
       FROM joor_sandbox.orders o
       CROSS JOIN LATERAL jsonb_array_elements(o.data->'line_items') AS line
       LEFT JOIN joor_sandbox.skus s ON s.upc = line->>'item_upc'
       WHERE o.order_id = ANY($1::text[]) ORDER BY o.order_id`,
      [orderIds.map(String)],
    );
    return {
      data: rows.map((row) => ({
        order_id: Number(row.order_id),
        sku_id: row.sku_id === null ? null : Number(row.sku_id),
        product_id: row.product_id === null ? null : Number(row.product_id),
        item_number: row.line.item_number,
        style_identifier: row.line.item_style_identifier,
        color_code: row.line.item_color_code,
        size: row.line.item_size,
        upc: row.line.item_upc,
        quantity: row.line.item_quantity,
        price: row.line.item_price,
        retail_price: row.line.item_retail_price,
      })),
      errors: [],
    };
  }

  async bulkUpdate(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    return this.db.tx(async (on) => {
      for (const [index, item] of items.entries()) {
        const problem = checkItem(item, UPDATE_RULES);
        if (problem) {
          outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
          continue;
        }
        const x = item as Row;
        const id = String(toId(x.id));
        const row = await this.db.one<Row>(
          `UPDATE joor_sandbox.orders SET
             export_status = COALESCE($2, export_status),
             export_description = CASE WHEN $3::text IS NOT NULL THEN $3 WHEN $2::text IS NOT NULL THEN NULL ELSE export_description END,
             exported_on = CASE WHEN $2::text IN ('Success', 'Failed') THEN now() WHEN $2::text = 'Pending' THEN NULL ELSE exported_on END
           WHERE order_id = $1 RETURNING *`,
          [id, x.export_status ?? null, x.export_description ?? null],
          on,
        );
        if (row) outcome.succeed(index, v4OrderRecord(row));
        else outcome.fail(itemError('NOT_FOUND', index, `Order ${id} does not exist`, { id: Number(id) }));
      }
      return outcome.envelope();
    });
  }

  /** A buyer or the brand changed the order on JOOR: it shows as "modified since last export". */
  async modify(orderId: string, changes: Partial<Pick<JoorOrder, 'status' | 'line_items' | 'customer_purchase_order' | 'date_ship_start' | 'date_ship_end'>>): Promise<unknown | null> {
    const row = await this.db.one<Row>(
      `UPDATE joor_sandbox.orders SET data = data || $2::jsonb, status = COALESCE($3, status), date_modified = greatest(now(), date_modified + interval '1 millisecond')
       WHERE order_id = $1 RETURNING *`,
      [orderId, JSON.stringify({ ...changes, date_modified: undefined }), changes.status ?? null],
    );
    return row ? v2OrderRecord(row) : null;
  }

  async insert(orders: JoorOrder[]): Promise<void> {
    if (!orders.length) return;
    await this.db.query(
      `INSERT INTO joor_sandbox.orders (order_id, status, data, date_modified)
       SELECT x.order_id, x.status, x.data, x.date_modified FROM jsonb_to_recordset($1::jsonb) AS x(order_id text, status text, data jsonb, date_modified timestamptz)
       ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, data = EXCLUDED.data, date_modified = EXCLUDED.date_modified`,
      [JSON.stringify(orders.map((order) => ({ order_id: order.order_id, status: order.status, data: order, date_modified: order.date_modified })))],
    );
  }

  async state(): Promise<unknown[]> {
    const rows = await this.db.query<Row>('SELECT * FROM joor_sandbox.orders ORDER BY date_modified, order_id');
    return rows.map((row) => ({ ...v2OrderRecord(row), sync_requested_at: row.sync_requested_at }));
  }
}
