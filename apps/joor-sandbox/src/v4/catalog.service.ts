import { Injectable } from '@nestjs/common';
import { allocateIds, Filters, isoDate, pageOf } from '../store/bulk-sql';
import { SandboxDb } from '../store/sandbox-db';
import { BulkOutcome, checkItem, itemError, toId, type FieldRule, type JoorEnvelope } from '../shared/joor-envelope';
import { COLOR_TRAIT_ID, SIZE_TRAIT_ID } from '../shared/traits';

/** Trait ids of the two traits every SKU carries (served by `GET /v4/traits`, in the API's dialect). */
export { COLOR_TRAIT_ID, SIZE_TRAIT_ID, TRAITS, traitsFor } from '../shared/traits';

// JOOR's documented limits: style name 100, style number 45, style identifier 100, description 500.
const PRODUCT_RULES: FieldRule[] = [
  { field: 'name', kind: 'string', required: true, max: 100 },
  { field: 'external_id', kind: 'string', max: 100 },
  { field: 'product_identifier', kind: 'string', required: true, max: 45 },
  { field: 'description', kind: 'string', max: 500 },
  { field: 'order_minimum', kind: 'integer' },
  { field: 'category_ids', kind: 'array' },
  { field: 'product_trait_values', kind: 'array' },
  { field: 'tags', kind: 'array' },
];
const PRODUCT_UPDATE_RULES: FieldRule[] = [{ field: 'id', kind: 'id', required: true }, ...PRODUCT_RULES.map((rule) => ({ ...rule, required: false }))];

const SKU_RULES: FieldRule[] = [
  { field: 'product_id', kind: 'id', required: true },
  { field: 'external_id', kind: 'string', max: 100 },
  { field: 'sku_identifier', kind: 'string', max: 100 },
  { field: 'trait_values', kind: 'array', required: true },
  { field: 'identifiers', kind: 'array' },
  { field: 'status', kind: 'string', oneOf: ['ACTIVE', 'INACTIVE'] },
];
const SKU_UPDATE_RULES: FieldRule[] = [
  { field: 'id', kind: 'id', required: true },
  { field: 'trait_values', kind: 'array' },
  { field: 'external_id', kind: 'string', max: 100 },
  { field: 'sku_identifier', kind: 'string', max: 100 },
  { field: 'identifiers', kind: 'array' },
  { field: 'status', kind: 'string', oneOf: ['ACTIVE', 'INACTIVE'] },
];
const IDENTIFIER_TYPES = ['upc', 'gtin', 'ean', 'mpn'];

const PRICE_RULES: FieldRule[] = [
  { field: 'sku_id', kind: 'id', required: true },
  { field: 'price_type_id', kind: 'string', required: true },
  { field: 'wholesale_value', kind: 'decimal', required: true },
  { field: 'retail_value', kind: 'decimal' },
];
const PRICE_UPDATE_RULES: FieldRule[] = [
  { field: 'id', kind: 'id', required: true },
  { field: 'wholesale_value', kind: 'decimal' },
  { field: 'retail_value', kind: 'decimal' },
];

type Row = Record<string, any>;

export function productRecord(row: Row) {
  return {
    id: Number(row.id),
    external_id: row.external_id,
    name: row.name,
    product_identifier: row.product_identifier,
    description: row.description,
    order_minimum: row.order_minimum,
    category_ids: row.category_ids,
    product_trait_values: row.product_trait_values,
    tags: row.tags,
    created_at: isoDate(row.created_at),
    updated_at: isoDate(row.updated_at),
  };
}

export function skuRecord(row: Row) {
  return {
    id: Number(row.id),
    product_id: Number(row.product_id),
    external_id: row.external_id,
    sku_identifier: row.sku_identifier,
    status: row.status,
    trait_values: row.trait_values,
    identifiers: row.identifiers,
  };
}

export function priceRecord(row: Row) {
  return {
    id: Number(row.id),
    sku_id: Number(row.sku_id),
    price_type_id: row.price_type_id,
    currency_code: row.currency_code ?? null,
    wholesale_value: row.wholesale_value,
    retail_value: row.retail_value,
  };
}

interface SkuTraits {
  color: string;
  colorExternalId: string;
  size: string;
  upc: string | null;
}

/** A SKU's Color and Size (both required, once each) and its UPC, or the problem. */
export function skuTraits(item: Row): SkuTraits | string {
  let color: Row | undefined;
  let size: Row | undefined;
  for (const trait of item.trait_values as unknown[]) {
    if (!trait || typeof trait !== 'object') return 'trait_values entries must be objects';
    const t = trait as Row;
    const traitId = toId(t.trait_id);
    if (typeof t.value !== 'string' || t.value.trim() === '') return 'every trait value needs a value';
    if (t.value.length > 100) return 'trait value is longer than 100 characters';
    if (traitId === COLOR_TRAIT_ID) {
      if (color) return 'a SKU carries exactly one Color trait value';
      color = t;
    } else if (traitId === SIZE_TRAIT_ID) {
      if (size) return 'a SKU carries exactly one Size trait value';
      size = t;
    } else return `unknown trait_id ${String(t.trait_id)}`;
  }
  if (!color || !size) return 'a SKU must carry both a Color and a Size trait value';
  let upc: string | null = null;
  for (const identifier of (item.identifiers ?? []) as unknown[]) {
    const id = identifier as Row;
    if (!id || typeof id.type !== 'string' || !IDENTIFIER_TYPES.includes(id.type.toLowerCase()) || typeof id.value !== 'string') {
      return 'identifiers entries must be {type: upc|GTIN|EAN|MPN, value}';
    }
    if (id.type.toLowerCase() === 'upc') upc = id.value;
  }
  return { color: color.value, colorExternalId: typeof color.external_id === 'string' ? color.external_id : '', size: size.value, upc };
}

/**
 * The trait values of a SKU update: a Color and/or a Size value (each at most once); what is given
 * replaces the SKU's value, what is left out stays. A color entry without `external_id` keeps the
 * SKU's color external id.
 */
export function traitUpdate(traitValues: unknown[]): { color?: Row; size?: Row } | string {
  if (traitValues.length === 0) return 'trait_values must carry a Color and/or a Size value';
  const change: { color?: Row; size?: Row } = {};
  for (const trait of traitValues) {
    if (!trait || typeof trait !== 'object') return 'trait_values entries must be objects';
    const t = trait as Row;
    if (typeof t.value !== 'string' || t.value.trim() === '') return 'every trait value needs a value';
    if (t.value.length > 100) return 'trait value is longer than 100 characters';
    if (t.external_id !== undefined && t.external_id !== null && typeof t.external_id !== 'string') return 'trait external_id must be a string';
    const traitId = toId(t.trait_id);
    const key = traitId === COLOR_TRAIT_ID ? 'color' : traitId === SIZE_TRAIT_ID ? 'size' : null;
    if (!key) return `unknown trait_id ${String(t.trait_id)}`;
    if (change[key]) return `a SKU carries exactly one ${key === 'color' ? 'Color' : 'Size'} trait value`;
    change[key] = t;
  }
  return change;
}

/** The stored trait_values with the changed entries replaced (each keeps the trait id as first sent). */
function withTraits(stored: Row[], traits: { color: string; colorExternalId: string; size: string; sizeExternalId: string | null }): Row[] {
  const entry = (traitId: number) => stored.find((t) => toId(t.trait_id) === traitId) ?? { trait_id: traitId };
  const color = { ...entry(COLOR_TRAIT_ID), value: traits.color, external_id: traits.colorExternalId };
  const size: Row = { ...entry(SIZE_TRAIT_ID), value: traits.size };
  if (traits.sizeExternalId !== null) size.external_id = traits.sizeExternalId;
  return [color, size];
}

@Injectable()
export class CatalogService {
  constructor(private readonly db: SandboxDb) {}

  // ---------- products ----------

  async listProducts(filters: { ids: number[] | null; externalIds: string[] | null }, page: { limit: number; offset: number }): Promise<JoorEnvelope<unknown[]>> {
    const f = new Filters().add((p) => `id = ANY(${p}::bigint[])`, filters.ids).add((p) => `external_id = ANY(${p}::text[])`, filters.externalIds);
    const { rows, total } = await pageOf<Row>(this.db, 'joor_sandbox.products', f.where, f.params, 'id', page);
    return { data: rows.map(productRecord), errors: [], meta: { total, ...page } };
  }

  async createProducts(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    const valid: Array<{ index: number; item: Row }> = [];
    items.forEach((item, index) => {
      const problem = checkItem(item, PRODUCT_RULES);
      if (problem) outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
      else valid.push({ index, item: item as Row });
    });
    return this.db.tx(async (on) => {
      const ids = await allocateIds(this.db, 'joor_sandbox.products_id_seq', valid.length, on);
      const rows = valid.map(({ item }, i) => ({
        id: ids[i],
        external_id: item.external_id ?? null,
        name: item.name,
        product_identifier: item.product_identifier,
        description: item.description ?? '',
        order_minimum: item.order_minimum ?? null,
        category_ids: item.category_ids ?? [],
        product_trait_values: item.product_trait_values ?? [],
        tags: item.tags ?? [],
      }));
      const inserted = await this.db.query<Row>(
        `INSERT INTO joor_sandbox.products (id, external_id, name, product_identifier, description, order_minimum, category_ids, product_trait_values, tags)
         SELECT id, external_id, name, product_identifier, description, order_minimum, category_ids, product_trait_values, tags
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, external_id text, name text, product_identifier text, description text, order_minimum int, category_ids jsonb, product_trait_values jsonb, tags jsonb)
         ON CONFLICT (external_id) DO NOTHING RETURNING *`,
        [JSON.stringify(rows)],
        on,
      );
      const byId = new Map(inserted.map((row) => [Number(row.id), row]));
      const missing = valid.filter((_, i) => !byId.has(ids[i]));
      const existing = missing.length
        ? await this.db.query<Row>('SELECT id, external_id FROM joor_sandbox.products WHERE external_id = ANY($1::text[])', [missing.map(({ item }) => item.external_id)], on)
        : [];
      const existingByExternal = new Map(existing.map((row) => [row.external_id as string, Number(row.id)]));
      valid.forEach(({ index, item }, i) => {
        const row = byId.get(ids[i]);
        if (row) outcome.succeed(index, productRecord(row));
        else
          outcome.fail(
            itemError('DUPLICATED', index, `A product with external_id ${item.external_id} already exists`, { id: existingByExternal.get(item.external_id), external_id: item.external_id }),
          );
      });
      return outcome.envelope();
    });
  }

  async updateProducts(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    return this.db.tx(async (on) => {
      for (const [index, item] of items.entries()) {
        const problem = checkItem(item, PRODUCT_UPDATE_RULES);
        if (problem) {
          outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
          continue;
        }
        const x = item as Row;
        const id = toId(x.id);
        if (x.external_id !== undefined && x.external_id !== null) {
          const clash = await this.db.one<Row>('SELECT id FROM joor_sandbox.products WHERE external_id = $1 AND id <> $2', [x.external_id, id], on);
          if (clash) {
            outcome.fail(itemError('DUPLICATED', index, `A product with external_id ${x.external_id} already exists`, { id: Number(clash.id), external_id: x.external_id }));
            continue;
          }
        }
        const row = await this.db.one<Row>(
          `UPDATE joor_sandbox.products SET
             external_id = COALESCE($2, external_id), name = COALESCE($3, name), product_identifier = COALESCE($4, product_identifier),
             description = CASE WHEN $10::boolean THEN COALESCE($5, '') ELSE description END, order_minimum = COALESCE($6, order_minimum), category_ids = COALESCE($7::jsonb, category_ids),
             product_trait_values = COALESCE($8::jsonb, product_trait_values), tags = COALESCE($9::jsonb, tags), updated_at = now()
           WHERE id = $1 RETURNING *`,
          // The sandbox's choice: description "" or null clears it (stored and shown as ""); absent keeps it.
          [
            id,
            x.external_id ?? null,
            x.name ?? null,
            x.product_identifier ?? null,
            x.description ?? null,
            x.order_minimum ?? null,
            json(x.category_ids),
            json(x.product_trait_values),
            json(x.tags),
            'description' in x,
          ],
          on,
        );
        if (row) outcome.succeed(index, productRecord(row));
        else outcome.fail(itemError('NOT_FOUND', index, `Product ${id} does not exist`, { id }));
      }
      return outcome.envelope();
    });
  }

  // ---------- skus ----------

  async listSkus(filters: { ids: number[] | null; productIds: number[] | null; externalIds: string[] | null }, page: { limit: number; offset: number }): Promise<JoorEnvelope<unknown[]>> {
    const f = new Filters()
      .add((p) => `id = ANY(${p}::bigint[])`, filters.ids)
      .add((p) => `product_id = ANY(${p}::bigint[])`, filters.productIds)
      .add((p) => `external_id = ANY(${p}::text[])`, filters.externalIds);
    const { rows, total } = await pageOf<Row>(this.db, 'joor_sandbox.skus', f.where, f.params, 'id', page);
    return { data: rows.map(skuRecord), errors: [], meta: { total, ...page } };
  }

  async createSkus(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    const valid: Array<{ index: number; item: Row; traits: SkuTraits }> = [];
    items.forEach((item, index) => {
      const problem = checkItem(item, SKU_RULES);
      if (problem) return outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
      const traits = skuTraits(item as Row);
      if (typeof traits === 'string') return outcome.fail(itemError('INVALID', index, traits, { field: 'trait_values' }));
      valid.push({ index, item: item as Row, traits });
    });
    return this.db.tx(async (on) => {
      const productIds = [...new Set(valid.map(({ item }) => toId(item.product_id)))];
      const known = new Set((await this.db.query<Row>('SELECT id FROM joor_sandbox.products WHERE id = ANY($1::bigint[])', [productIds], on)).map((row) => Number(row.id)));
      const creatable = valid.filter(({ index, item }) => {
        if (known.has(toId(item.product_id)!)) return true;
        outcome.fail(itemError('NOT_FOUND', index, `Product ${String(item.product_id)} does not exist`, { field: 'product_id', product_id: toId(item.product_id) }));
        return false;
      });
      const ids = await allocateIds(this.db, 'joor_sandbox.skus_id_seq', creatable.length, on);
      const rows = creatable.map(({ item, traits }, i) => ({
        id: ids[i],
        product_id: toId(item.product_id),
        external_id: item.external_id ?? null,
        sku_identifier: item.sku_identifier ?? '',
        color_value: traits.color,
        color_external_id: traits.colorExternalId,
        size_value: traits.size,
        trait_values: item.trait_values,
        identifiers: item.identifiers ?? [],
        upc: traits.upc,
        status: item.status ?? 'ACTIVE',
      }));
      const inserted = await this.db.query<Row>(
        `INSERT INTO joor_sandbox.skus (id, product_id, external_id, sku_identifier, color_value, color_external_id, size_value, trait_values, identifiers, upc, status)
         SELECT id, product_id, external_id, sku_identifier, color_value, color_external_id, size_value, trait_values, identifiers, upc, status
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, product_id bigint, external_id text, sku_identifier text, color_value text, color_external_id text, size_value text, trait_values jsonb, identifiers jsonb, upc text, status text)
         ON CONFLICT DO NOTHING RETURNING *`,
        [JSON.stringify(rows)],
        on,
      );
      const byId = new Map(inserted.map((row) => [Number(row.id), row]));
      for (const [i, { index, item, traits }] of creatable.entries()) {
        const row = byId.get(ids[i]);
        if (row) {
          outcome.succeed(index, skuRecord(row));
          continue;
        }
        const existing = await this.db.one<Row>(
          `SELECT id, external_id FROM joor_sandbox.skus WHERE external_id = $1 OR (product_id = $2 AND color_value = $3 AND size_value = $4) ORDER BY (external_id = $1) DESC NULLS LAST LIMIT 1`,
          [item.external_id ?? null, toId(item.product_id), traits.color, traits.size],
          on,
        );
        outcome.fail(
          itemError('DUPLICATED', index, `A SKU with this external_id or color/size already exists on product ${toId(item.product_id)}`, {
            id: existing ? Number(existing.id) : null,
            external_id: item.external_id ?? null,
          }),
        );
      }
      return outcome.envelope();
    });
  }

  async updateSkus(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    return this.db.tx(async (on) => {
      for (const [index, item] of items.entries()) {
        const problem = checkItem(item, SKU_UPDATE_RULES);
        if (problem) {
          outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
          continue;
        }
        const x = item as Row;
        const id = toId(x.id)!;
        let upc: string | null | undefined;
        if (Array.isArray(x.identifiers)) {
          const traits = skuTraits({
            trait_values: [
              { trait_id: COLOR_TRAIT_ID, value: '-' },
              { trait_id: SIZE_TRAIT_ID, value: '-' },
            ],
            identifiers: x.identifiers,
          });
          if (typeof traits === 'string') {
            outcome.fail(itemError('INVALID', index, traits, { field: 'identifiers' }));
            continue;
          }
          upc = traits.upc;
        }
        let change: ReturnType<typeof traitUpdate> | null = null;
        if (Array.isArray(x.trait_values)) {
          change = traitUpdate(x.trait_values);
          if (typeof change === 'string') {
            outcome.fail(itemError('INVALID', index, change, { field: 'trait_values' }));
            continue;
          }
        }
        if (x.external_id) {
          const clash = await this.db.one<Row>('SELECT id FROM joor_sandbox.skus WHERE external_id = $1 AND id <> $2', [x.external_id, id], on);
          if (clash) {
            outcome.fail(itemError('DUPLICATED', index, `A SKU with external_id ${x.external_id} already exists`, { id: Number(clash.id), external_id: x.external_id }));
            continue;
          }
        }
        // A renamed color or size: the SKU's traits change, unless another SKU of the product already has that color + size.
        let traits: { color: string; colorExternalId: string; size: string; trait_values: Row[] } | null = null;
        if (change) {
          const current = await this.db.one<Row>('SELECT * FROM joor_sandbox.skus WHERE id = $1 FOR UPDATE', [id], on);
          if (!current) {
            outcome.fail(itemError('NOT_FOUND', index, `SKU ${id} does not exist`, { id }));
            continue;
          }
          const stored = (current.trait_values ?? []) as Row[];
          const color = change.color?.value ?? (current.color_value as string);
          const colorExternalId = typeof change.color?.external_id === 'string' ? change.color.external_id : (current.color_external_id as string);
          const size = change.size?.value ?? (current.size_value as string);
          const storedSize = stored.find((t) => toId(t.trait_id) === SIZE_TRAIT_ID);
          const sizeExternalId = typeof change.size?.external_id === 'string' ? change.size.external_id : typeof storedSize?.external_id === 'string' ? storedSize.external_id : null;
          const clash = await this.db.one<Row>(
            'SELECT id FROM joor_sandbox.skus WHERE product_id = $1 AND color_value = $2 AND size_value = $3 AND id <> $4',
            [current.product_id, color, size, id],
            on,
          );
          if (clash) {
            outcome.fail(itemError('DUPLICATED', index, `Another SKU of product ${current.product_id} already has color ${color} and size ${size}`, { id: Number(clash.id), field: 'trait_values' }));
            continue;
          }
          traits = { color, colorExternalId, size, trait_values: withTraits(stored, { color, colorExternalId, size, sizeExternalId }) };
        }
        const row = await this.db.one<Row>(
          `UPDATE joor_sandbox.skus SET external_id = COALESCE($2, external_id), sku_identifier = COALESCE($3, sku_identifier),
             identifiers = COALESCE($4::jsonb, identifiers), upc = CASE WHEN $4::jsonb IS NULL THEN upc ELSE $5 END,
             status = COALESCE($6, status), color_value = COALESCE($7, color_value), color_external_id = COALESCE($8, color_external_id),
             size_value = COALESCE($9, size_value), trait_values = COALESCE($10::jsonb, trait_values), updated_at = now()
           WHERE id = $1 RETURNING *`,
          [
            id,
            x.external_id ?? null,
            x.sku_identifier ?? null,
            json(x.identifiers),
            upc ?? null,
            x.status ?? null,
            traits?.color ?? null,
            traits?.colorExternalId ?? null,
            traits?.size ?? null,
            json(traits?.trait_values),
          ],
          on,
        );
        if (!row) {
          outcome.fail(itemError('NOT_FOUND', index, `SKU ${id} does not exist`, { id }));
          continue;
        }
        if (x.status === 'INACTIVE' && row.upc) await this.removeFromOpenOrders(row.upc as string, on);
        outcome.succeed(index, skuRecord(row));
      }
      return outcome.envelope();
    });
  }

  /** JOOR: an INACTIVE SKU also leaves the open (not yet shipped) orders. */
  private async removeFromOpenOrders(upc: string, on: Parameters<SandboxDb['query']>[2]): Promise<void> {
    await this.db.query(
      `UPDATE joor_sandbox.orders SET
         data = jsonb_set(data, '{line_items}', (SELECT COALESCE(jsonb_agg(line), '[]'::jsonb) FROM jsonb_array_elements(data->'line_items') AS line WHERE line->>'item_upc' <> $1)),
         date_modified = now()
       WHERE status IN ('Pending', 'Approved') AND data->'line_items' @> jsonb_build_array(jsonb_build_object('item_upc', $1::text))`,
      [upc],
      on,
    );
  }

  // ---------- prices ----------

  async listPrices(filters: { ids: number[] | null; skuIds: number[] | null; priceTypeId: string | null }, page: { limit: number; offset: number }): Promise<JoorEnvelope<unknown[]>> {
    const f = new Filters()
      .add((p) => `p.id = ANY(${p}::bigint[])`, filters.ids)
      .add((p) => `p.sku_id = ANY(${p}::bigint[])`, filters.skuIds)
      .add((p) => `p.price_type_id = ${p}`, filters.priceTypeId);
    const { rows, total } = await pageOf<Row>(
      this.db,
      '(SELECT p.*, t.currency_code FROM joor_sandbox.prices p LEFT JOIN joor_sandbox.price_types t ON t.id = p.price_type_id ' + f.where + ') AS priced',
      '',
      f.params,
      'id',
      page,
    );
    return { data: rows.map(priceRecord), errors: [], meta: { total, ...page } };
  }

  async createPrices(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    const valid: Array<{ index: number; item: Row }> = [];
    items.forEach((item, index) => {
      const problem = checkItem(item, PRICE_RULES);
      if (problem) outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
      else valid.push({ index, item: item as Row });
    });
    return this.db.tx(async (on) => {
      const skuIds = new Set(
        (await this.db.query<Row>('SELECT id FROM joor_sandbox.skus WHERE id = ANY($1::bigint[])', [valid.map(({ item }) => toId(item.sku_id))], on)).map((row) => Number(row.id)),
      );
      const types = new Map((await this.db.query<Row>('SELECT id, currency_code FROM joor_sandbox.price_types', [], on)).map((row) => [row.id as string, row.currency_code as string]));
      const creatable = valid.filter(({ index, item }) => {
        if (!skuIds.has(toId(item.sku_id)!)) {
          outcome.fail(itemError('NOT_FOUND', index, `SKU ${String(item.sku_id)} does not exist`, { field: 'sku_id', sku_id: toId(item.sku_id) }));
          return false;
        }
        if (!types.has(String(item.price_type_id))) {
          outcome.fail(itemError('NOT_FOUND', index, `Price type ${String(item.price_type_id)} does not exist`, { field: 'price_type_id' }));
          return false;
        }
        return true;
      });
      const ids = await allocateIds(this.db, 'joor_sandbox.prices_id_seq', creatable.length, on);
      const rows = creatable.map(({ item }, i) => ({
        id: ids[i],
        sku_id: toId(item.sku_id),
        price_type_id: String(item.price_type_id),
        wholesale_value: item.wholesale_value,
        retail_value: item.retail_value ?? null,
      }));
      const inserted = await this.db.query<Row>(
        `INSERT INTO joor_sandbox.prices (id, sku_id, price_type_id, wholesale_value, retail_value)
         SELECT id, sku_id, price_type_id, wholesale_value::numeric, retail_value::numeric
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, sku_id bigint, price_type_id text, wholesale_value text, retail_value text)
         ON CONFLICT (sku_id, price_type_id) DO NOTHING RETURNING *`,
        [JSON.stringify(rows)],
        on,
      );
      const byId = new Map(inserted.map((row) => [Number(row.id), row]));
      const missing = creatable.filter((_, i) => !byId.has(ids[i]));
      const existing = missing.length
        ? await this.db.query<Row>(
            `SELECT p.id, p.sku_id, p.price_type_id FROM joor_sandbox.prices p
             JOIN jsonb_to_recordset($1::jsonb) AS x(sku_id bigint, price_type_id text) ON x.sku_id = p.sku_id AND x.price_type_id = p.price_type_id`,
            [JSON.stringify(missing.map(({ item }) => ({ sku_id: toId(item.sku_id), price_type_id: String(item.price_type_id) })))],
            on,
          )
        : [];
      const existingByKey = new Map(existing.map((row) => [`${row.sku_id}:${row.price_type_id}`, Number(row.id)]));
      creatable.forEach(({ index, item }, i) => {
        const row = byId.get(ids[i]);
        if (row) outcome.succeed(index, priceRecord({ ...row, currency_code: types.get(row.price_type_id) }));
        else
          outcome.fail(
            itemError('DUPLICATED', index, `SKU ${String(item.sku_id)} already has a price of type ${String(item.price_type_id)}`, {
              id: existingByKey.get(`${toId(item.sku_id)}:${String(item.price_type_id)}`),
            }),
          );
      });
      return outcome.envelope();
    });
  }

  async updatePrices(items: unknown[]): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    const valid: Array<{ index: number; item: Row }> = [];
    items.forEach((item, index) => {
      const problem = checkItem(item, PRICE_UPDATE_RULES);
      if (problem) outcome.fail(itemError('INVALID', index, problem.message, { field: problem.field }));
      else if ((item as Row).wholesale_value === null) outcome.fail(itemError('INVALID', index, 'wholesale_value cannot be cleared', { field: 'wholesale_value' }));
      else valid.push({ index, item: item as Row });
    });
    // The sandbox's choice: retail_value null clears the retail value; an absent retail_value keeps it.
    const updated = await this.db.query<Row>(
      `UPDATE joor_sandbox.prices p SET wholesale_value = COALESCE(x.wholesale_value::numeric, p.wholesale_value),
         retail_value = CASE WHEN x.retail_given THEN x.retail_value::numeric ELSE p.retail_value END, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, wholesale_value text, retail_value text, retail_given boolean)
       WHERE p.id = x.id RETURNING p.*`,
      [JSON.stringify(valid.map(({ item }) => ({ id: toId(item.id), wholesale_value: item.wholesale_value ?? null, retail_value: item.retail_value ?? null, retail_given: 'retail_value' in item })))],
    );
    const byId = new Map(updated.map((row) => [Number(row.id), row]));
    for (const { index, item } of valid) {
      const row = byId.get(toId(item.id)!);
      if (row) outcome.succeed(index, priceRecord(row));
      else outcome.fail(itemError('NOT_FOUND', index, `Price ${String(item.id)} does not exist`, { id: toId(item.id) }));
    }
    return outcome.envelope();
  }

  // ---------- reference data ----------

  async priceTypes(): Promise<JoorEnvelope<unknown[]>> {
    const rows = await this.db.query<Row>('SELECT id, name, currency_code, retail_currency_code FROM joor_sandbox.price_types ORDER BY id');
    return { data: rows, errors: [] };
  }

  async seasons(): Promise<JoorEnvelope<unknown[]>> {
    const rows = await this.db.query<Row>('SELECT id, name, code FROM joor_sandbox.seasons ORDER BY id');
    return { data: rows, errors: [] };
  }
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
