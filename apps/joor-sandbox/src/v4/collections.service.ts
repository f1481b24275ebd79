import { Injectable } from '@nestjs/common';
import { Filters, pageOf } from '../store/bulk-sql';
import { SandboxDb, type Queryable } from '../store/sandbox-db';
import { BulkOutcome, checkItem, itemError, toId, type FieldRule, type JoorEnvelope } from '../shared/joor-envelope';

const COLLECTION_RULES: FieldRule[] = [
  { field: 'name', kind: 'string', required: true, max: 100 },
  { field: 'external_id', kind: 'string', max: 100 },
  { field: 'season_id', kind: 'string' },
  { field: 'delivery', kind: 'object' },
  { field: 'items', kind: 'array' },
];
const COLLECTION_UPDATE_RULES: FieldRule[] = [{ field: 'id', kind: 'id', required: true }, ...COLLECTION_RULES];
const DELIVERY_RULES: FieldRule[] = [
  { field: 'start_ship_date', kind: 'date' },
  { field: 'complete_ship_date', kind: 'date' },
  { field: 'cancel_date', kind: 'date' },
];
const ITEM_RULES: FieldRule[] = [
  { field: 'product_id', kind: 'id', required: true },
  { field: 'order_number', kind: 'integer' },
  { field: 'sku_ids', kind: 'array' },
];

type Row = Record<string, any>;

export interface Delivery {
  type: 'IMMEDIATE' | 'DATED';
  start_ship_date: string | null;
  complete_ship_date: string | null;
  cancel_date: string | null;
}

/** No dates = IMMEDIATE delivery (JOOR's rule); dates must run start <= complete <= cancel. */
export function normaliseDelivery(delivery: Row | undefined | null): Delivery | string {
  const problem = delivery ? checkItem(delivery, DELIVERY_RULES) : null;
  if (problem) return `delivery.${problem.message}`;
  const start = delivery?.start_ship_date ?? null;
  const complete = delivery?.complete_ship_date ?? null;
  const cancel = delivery?.cancel_date ?? null;
  if (!start && !complete && !cancel) return { type: 'IMMEDIATE', start_ship_date: null, complete_ship_date: null, cancel_date: null };
  if (!start || !complete) return 'delivery needs start_ship_date and complete_ship_date (or no dates for IMMEDIATE)';
  if (start > complete) return 'delivery.start_ship_date is after complete_ship_date';
  if (cancel && cancel < complete) return 'delivery.cancel_date is before complete_ship_date';
  return { type: 'DATED', start_ship_date: start, complete_ship_date: complete, cancel_date: cancel };
}

export function collectionRecord(row: Row) {
  return {
    id: Number(row.id),
    external_id: row.external_id,
    name: row.name,
    season_id: row.season_id,
    delivery: row.delivery,
    items: row.items,
    created_by_api: row.created_by_api,
  };
}

@Injectable()
export class CollectionsService {
  constructor(private readonly db: SandboxDb) {}

  async list(filters: { ids: number[] | null; externalIds: string[] | null }, page: { limit: number; offset: number }): Promise<JoorEnvelope<unknown[]>> {
    const f = new Filters().add((p) => `id = ANY(${p}::bigint[])`, filters.ids).add((p) => `external_id = ANY(${p}::text[])`, filters.externalIds);
    const { rows, total } = await pageOf<Row>(this.db, 'joor_sandbox.collections', f.where, f.params, 'id', page);
    return { data: rows.map(collectionRecord), errors: [], meta: { total, ...page } };
  }

  async create(items: unknown[], createdByApi = true): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    return this.db.tx(async (on) => {
      for (const [index, item] of items.entries()) {
        const checked = await this.check(item, COLLECTION_RULES, index, on);
        if ('error' in checked) {
          outcome.fail(checked.error);
          continue;
        }
        const x = item as Row;
        if (x.external_id) {
          const existing = await this.db.one<Row>('SELECT id FROM joor_sandbox.collections WHERE external_id = $1', [x.external_id], on);
          if (existing) {
            outcome.fail(itemError('DUPLICATED', index, `A collection with external_id ${x.external_id} already exists`, { id: Number(existing.id), external_id: x.external_id }));
            continue;
          }
        }
        const row = await this.db.one<Row>(
          `INSERT INTO joor_sandbox.collections (external_id, name, season_id, delivery, items, created_by_api) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6) RETURNING *`,
          [x.external_id ?? null, x.name, x.season_id ?? null, JSON.stringify(checked.delivery), JSON.stringify(checked.items), createdByApi],
          on,
        );
        outcome.succeed(index, collectionRecord(row!));
      }
      return outcome.envelope();
    });
  }

  async update(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    return this.db.tx(async (on) => {
      for (const [index, item] of items.entries()) {
        const checked = await this.check(item, COLLECTION_UPDATE_RULES, index, on);
        if ('error' in checked) {
          outcome.fail(checked.error);
          continue;
        }
        const x = item as Row;
        const id = toId(x.id);
        if (x.external_id) {
          const clash = await this.db.one<Row>('SELECT id FROM joor_sandbox.collections WHERE external_id = $1 AND id <> $2', [x.external_id, id], on);
          if (clash) {
            outcome.fail(itemError('DUPLICATED', index, `A collection with external_id ${x.external_id} already exists`, { id: Number(clash.id), external_id: x.external_id }));
            continue;
          }
        }
        const row = await this.db.one<Row>(
          `UPDATE joor_sandbox.collections SET name = $2, external_id = COALESCE($3, external_id), season_id = COALESCE($4, season_id),
             delivery = CASE WHEN $5::boolean THEN $6::jsonb ELSE delivery END, items = COALESCE($7::jsonb, items), updated_at = now()
           WHERE id = $1 RETURNING *`,
          [id, x.name, x.external_id ?? null, x.season_id ?? null, 'delivery' in x, JSON.stringify(checked.delivery), x.items === undefined ? null : JSON.stringify(checked.items)],
          on,
        );
        if (row) outcome.succeed(index, collectionRecord(row));
        else outcome.fail(itemError('NOT_FOUND', index, `Collection ${id} does not exist`, { id }));
      }
      return outcome.envelope();
    });
  }

  private async check(item: unknown, rules: FieldRule[], index: number, on: Queryable): Promise<{ error: ReturnType<typeof itemError> } | { delivery: Delivery; items: Row[] }> {
    const problem = checkItem(item, rules);
    if (problem) return { error: itemError('INVALID', index, problem.message, { field: problem.field }) };
    const x = item as Row;
    const delivery = normaliseDelivery(x.delivery);
    if (typeof delivery === 'string') return { error: itemError('INVALID', index, delivery, { field: 'delivery' }) };
    if (x.season_id) {
      const season = await this.db.one('SELECT 1 FROM joor_sandbox.seasons WHERE id = $1', [String(x.season_id)], on);
      if (!season) return { error: itemError('NOT_FOUND', index, `Season ${x.season_id} does not exist`, { field: 'season_id' }) };
    }
    const items: Row[] = [];
    for (const [position, entry] of ((x.items ?? []) as unknown[]).entries()) {
      const entryProblem = checkItem(entry, ITEM_RULES);
      if (entryProblem) return { error: itemError('INVALID', index, `items[${position}].${entryProblem.message}`, { field: 'items' }) };
      const e = entry as Row;
      const productId = toId(e.product_id)!;
      const skus = await this.db.query<Row>('SELECT id FROM joor_sandbox.skus WHERE product_id = $1', [productId], on);
      const product = await this.db.one('SELECT 1 FROM joor_sandbox.products WHERE id = $1', [productId], on);
      if (!product) return { error: itemError('NOT_FOUND', index, `items[${position}]: product ${productId} does not exist`, { field: 'items', product_id: productId }) };
      const own = new Set(skus.map((row) => Number(row.id)));
      const skuIds = ((e.sku_ids ?? []) as unknown[]).map(toId);
      const stray = skuIds.find((id) => id === null || !own.has(id));
      if (stray !== undefined) return { error: itemError('INVALID', index, `items[${position}]: SKU ${String(stray)} is not a SKU of product ${productId}`, { field: 'items' }) };
      items.push({ product_id: productId, order_number: e.order_number ?? position + 1, sku_ids: skuIds });
    }
    return { delivery, items };
  }
}
