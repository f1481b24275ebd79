import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FilterClause } from '../api/amc-query.parser';
import { buildFilterSql } from './amc-filter.sql';
import { AMC_RESOURCES, amcTimestamp, sortKey, type AmcResource } from './amc-resources';
import { AMC_SCHEMA, AMC_SCHEMA_DDL } from './amc-schema.sql';

export type AmcRecord = Record<string, unknown>;

export interface StoredRecord {
  resource: AmcResource;
  id: string;
  lastModified: string;
  data: AmcRecord;
}

export interface ListQuery {
  filters: FilterClause[];
  pageSize: number;
  /** Offset paging (page_number style). */
  pageNumber?: number;
  /** Keyset paging (last_id style): records after this id. */
  lastId?: string;
}

export interface ListResult {
  records: AmcRecord[];
  total: number;
  errors: string[];
}

const T = `${AMC_SCHEMA}.records`;
// Rows per INSERT: 5 parameters each stays far below PostgreSQL's 65535-parameter limit.
const INSERT_CHUNK = 2_000;
// Serialises schema creation when two sandbox processes boot against one database.
const SCHEMA_LOCK = 4_001_001;

/** All SQL of the sandbox. Raw queries on TypeORM's DataSource; no entities. */
@Injectable()
export class AmcStoreRepository {
  constructor(private readonly db: DataSource) {}

  async ensureSchema(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      for (const statement of AMC_SCHEMA_DDL) await tx.query(statement);
    });
  }

  /** Replaces every record (a new seed) in one transaction. */
  async replaceAll(records: StoredRecord[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`TRUNCATE ${T}`);
      await this.insertMany(tx, records);
    });
  }

  private async insertMany(tx: EntityManager, records: StoredRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      const chunk = records.slice(i, i + INSERT_CHUNK);
      await tx.query(
        `INSERT INTO ${T} (resource, sort_key, id, last_modified, data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[])`,
        [chunk.map((r) => r.resource), chunk.map((r) => sortKey(r.id)), chunk.map((r) => r.id), chunk.map((r) => r.lastModified), chunk.map((r) => JSON.stringify(r.data))],
      );
    }
  }

  async list(resource: AmcResource, query: ListQuery): Promise<ListResult> {
    const where = buildFilterSql(resource, query.filters, 2);
    if (where.errors.length > 0) return { records: [], total: 0, errors: where.errors };
    const base = `FROM ${T} WHERE resource = $1${where.sql ? ` AND ${where.sql}` : ''}`;
    const params: unknown[] = [resource, ...where.params];
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total ${base}`, params)) as Array<{ total: number }>;
    let sql = `SELECT data ${base}`;
    const pageParams = [...params];
    if (query.lastId !== undefined) {
      pageParams.push(sortKey(query.lastId));
      sql += ` AND sort_key > $${pageParams.length}`;
    }
    pageParams.push(query.pageSize);
    sql += ` ORDER BY sort_key LIMIT $${pageParams.length}`;
    if (query.pageNumber !== undefined) {
      pageParams.push((query.pageNumber - 1) * query.pageSize);
      sql += ` OFFSET $${pageParams.length}`;
    }
    const rows = (await this.db.query(sql, pageParams)) as Array<{ data: AmcRecord }>;
    return { records: rows.map((r) => r.data), total, errors: [] };
  }

  async get(resource: AmcResource, id: string, tx?: EntityManager): Promise<AmcRecord | null> {
    const rows = (await (tx ?? this.db).query(`SELECT data FROM ${T} WHERE resource = $1 AND sort_key = $2`, [resource, sortKey(id)])) as Array<{ data: AmcRecord }>;
    return rows[0]?.data ?? null;
  }

  async getMany(resource: AmcResource, ids: string[]): Promise<Map<string, AmcRecord>> {
    const rows = (await this.db.query(`SELECT id, data FROM ${T} WHERE resource = $1 AND sort_key = ANY($2::text[])`, [resource, ids.map(sortKey)])) as Array<{
      id: string;
      data: AmcRecord;
    }>;
    return new Map(rows.map((r) => [r.id, r.data]));
  }

  /** Records of `resource` whose JSON `field` equals `value` (uses the expression indexes). */
  async findBy(resource: AmcResource, field: 'product_id' | 'sku_id' | 'warehouse_id' | 'joor_id', value: string, tx?: EntityManager): Promise<AmcRecord[]> {
    const rows = (await (tx ?? this.db).query(`SELECT data FROM ${T} WHERE resource = $1 AND data->>'${field}' = $2 ORDER BY sort_key`, [resource, value])) as Array<{
      data: AmcRecord;
    }>;
    return rows.map((r) => r.data);
  }

  /** Next numeric id of a resource (AMC assigns ids; the seed's are numeric strings). */
  async nextId(resource: AmcResource, tx?: EntityManager): Promise<string> {
    const rows = (await (tx ?? this.db).query(`SELECT coalesce(max(id::bigint), 0) + 1 AS next FROM ${T} WHERE resource = $1 AND id ~ '^[0-9]{1,18}$'`, [resource])) as Array<{ next: string }>;
    return String(rows[0].next);
  }

  async nextSequence(name: 'order_id_seq' | 'order_item_id_seq', tx?: EntityManager): Promise<string> {
    const rows = (await (tx ?? this.db).query(`SELECT nextval('${AMC_SCHEMA}.${name}')::text AS id`)) as Array<{ id: string }>;
    return rows[0].id;
  }

  async insert(resource: AmcResource, data: AmcRecord, now: Date, tx?: EntityManager): Promise<AmcRecord> {
    const id = String(data[AMC_RESOURCES[resource]]);
    const stamped = { ...data, last_modified_time: amcTimestamp(now) };
    await (tx ?? this.db).query(`INSERT INTO ${T} (resource, sort_key, id, last_modified, data) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
      resource,
      sortKey(id),
      id,
      now.toISOString(),
      JSON.stringify(stamped),
    ]);
    return stamped;
  }

  /** Merges `patch` into the record and bumps `last_modified_time`; null when there is no such record. */
  async patch(resource: AmcResource, id: string, patch: AmcRecord, now: Date, tx?: EntityManager): Promise<AmcRecord | null> {
    const stamp = amcTimestamp(now);
    const extra: AmcRecord = { last_modified_time: stamp };
    if (resource === 'currencies') extra.last_updated = stamp;
    const rows = (await (tx ?? this.db).query(`UPDATE ${T} SET data = data || $3::jsonb, last_modified = $4 WHERE resource = $1 AND sort_key = $2 RETURNING data`, [
      resource,
      sortKey(id),
      JSON.stringify({ ...patch, ...extra }),
      now.toISOString(),
    ])) as unknown[];
    // TypeORM answers UPDATE ... RETURNING as [rows, affected]; plain rows in other versions.
    const returned = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ data: AmcRecord }>;
    return returned[0]?.data ?? null;
  }

  /** Whether a product or colorway refers to this image path. */
  async hasImage(ref: string): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM ${T} WHERE resource IN ('products', 'product_attributes') AND data->'images' @> $1::jsonb LIMIT 1`, [
      JSON.stringify([{ img: ref }]),
    ])) as unknown[];
    return rows.length > 0;
  }

  async counts(): Promise<Record<string, number>> {
    const rows = (await this.db.query(`SELECT resource, count(*)::int AS n FROM ${T} GROUP BY resource`)) as Array<{ resource: string; n: number }>;
    const out: Record<string, number> = Object.fromEntries(Object.keys(AMC_RESOURCES).map((r) => [r, 0]));
    for (const row of rows) out[row.resource] = row.n;
    return out;
  }

  async isEmpty(): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM ${T} LIMIT 1`)) as unknown[];
    return rows.length === 0;
  }

  async getSetting<V>(key: string): Promise<V | undefined> {
    const rows = (await this.db.query(`SELECT value FROM ${AMC_SCHEMA}.settings WHERE key = $1`, [key])) as Array<{ value: V }>;
    return rows[0]?.value;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    await this.db.query(`INSERT INTO ${AMC_SCHEMA}.settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [key, JSON.stringify(value)]);
  }

  transaction<R>(work: (tx: EntityManager) => Promise<R>): Promise<R> {
    return this.db.transaction(work);
  }
}
