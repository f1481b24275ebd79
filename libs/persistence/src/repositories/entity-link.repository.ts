import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What entity_link rows link (entity_type), one name per kind of entity the syncs write. */
export const LINK_TYPES = { product: 'product', sku: 'sku', price: 'price', collection: 'collection', inventory: 'inventory', media: 'media' } as const;

/** A SKU link's hash once the SKU went INACTIVE on JOOR (lost its flag, or lives under another product now). */
export const RETIRED_HASH_PREFIX = 'inactive:';
export function retiredHash(key: string): string {
  return `${RETIRED_HASH_PREFIX}${key}`;
}

/** One entity_link row as the sync services use it. */
export interface EntityLink {
  amcId: string;
  joorId: string | null;
  payloadHash: string | null;
  parentKey: string | null;
  /** What identifies the entity on JOOR besides its id (see EntityLinkEntity.meta). */
  meta: Record<string, unknown> | null;
}

export interface EntityLinkWrite {
  amcId: string;
  joorId: string | null;
  payloadHash: string | null;
  parentKey?: string | null;
  /** Absent: keep what the link has. */
  meta?: Record<string, unknown>;
}

interface Row {
  amc_id: string;
  joor_id: string | null;
  payload_hash: string | null;
  parent_key: string | null;
  meta: Record<string, unknown> | null;
}

const COLUMNS = 'amc_id, joor_id, payload_hash, parent_key, meta';
const toLink = (row: Row): EntityLink => ({ amcId: row.amc_id, joorId: row.joor_id, payloadHash: row.payload_hash, parentKey: row.parent_key, meta: row.meta });

/**
 * AMC id <-> JOOR id links with the hash of the last payload JOOR accepted, read and written in
 * sets (one statement per batch), so a sync never pays a round trip per entity.
 */
@Injectable()
export class EntityLinkRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(connectionId: string, entityType: string, amcIds: string[]): Promise<Map<string, EntityLink>> {
    if (amcIds.length === 0) return new Map();
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM entity_link WHERE connection_id = $1 AND entity_type = $2 AND amc_id = ANY($3::text[])`, [
      connectionId,
      entityType,
      amcIds,
    ]);
    return new Map(rows.map((row) => [row.amc_id, toLink(row)]));
  }

  /** The links under any of these parents (e.g. every SKU JOOR has of these styles). */
  async findByParents(connectionId: string, entityType: string, parentKeys: string[]): Promise<EntityLink[]> {
    if (parentKeys.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM entity_link WHERE connection_id = $1 AND entity_type = $2 AND parent_key = ANY($3::text[])`, [
      connectionId,
      entityType,
      parentKeys,
    ]);
    return rows.map(toLink);
  }

  /** The links of these styles: each style's own key and its `<key>:<part>` keys (colorways sent as products). */
  async findByStyles(connectionId: string, entityType: string, styleKeys: string[]): Promise<EntityLink[]> {
    if (styleKeys.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM entity_link WHERE connection_id = $1 AND entity_type = $2 AND split_part(amc_id, ':', 1) = ANY($3::text[])`, [
      connectionId,
      entityType,
      styleKeys,
    ]);
    return rows.map(toLink);
  }

  /** Every link of a type that has a parent, ordered by AMC id numerically where it is a number. */
  async listWithParent(connectionId: string, entityType: string): Promise<EntityLink[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM entity_link
       WHERE connection_id = $1 AND entity_type = $2 AND parent_key IS NOT NULL AND joor_id IS NOT NULL
       ORDER BY length(amc_id), amc_id`,
      [connectionId, entityType],
    );
    return rows.map(toLink);
  }

  /** Inserts or replaces the links (joor id, hash, parent and, when given, meta), stamping synced_at. */
  async upsert(connectionId: string, entityType: string, links: EntityLinkWrite[]): Promise<void> {
    if (links.length === 0) return;
    // Last write of a key wins within one call (ON CONFLICT cannot touch a row twice).
    const unique = [...new Map(links.map((l) => [l.amcId, l])).values()];
    await this.dataSource.query(
      `INSERT INTO entity_link (connection_id, entity_type, amc_id, joor_id, payload_hash, parent_key, meta, synced_at)
       SELECT $1, $2, x.amc_id, x.joor_id, x.payload_hash, x.parent_key, x.meta, now()
       FROM jsonb_to_recordset($3::jsonb) AS x(amc_id text, joor_id text, payload_hash text, parent_key text, meta jsonb)
       ON CONFLICT (connection_id, entity_type, amc_id) DO UPDATE
         SET joor_id = COALESCE(EXCLUDED.joor_id, entity_link.joor_id), payload_hash = EXCLUDED.payload_hash, parent_key = EXCLUDED.parent_key,
             meta = COALESCE(EXCLUDED.meta, entity_link.meta), synced_at = now()`,
      [connectionId, entityType, JSON.stringify(unique.map((l) => ({ amc_id: l.amcId, joor_id: l.joorId, payload_hash: l.payloadHash, parent_key: l.parentKey ?? null, meta: l.meta ?? null })))],
    );
  }

  /** Fills in the meta of existing links (links written before meta was kept), without touching synced_at. */
  async setMeta(connectionId: string, entityType: string, metas: Array<{ amcId: string; meta: Record<string, unknown> }>): Promise<void> {
    if (metas.length === 0) return;
    await this.dataSource.query(
      `UPDATE entity_link l SET meta = x.meta FROM jsonb_to_recordset($3::jsonb) AS x(amc_id text, meta jsonb)
       WHERE l.connection_id = $1 AND l.entity_type = $2 AND l.amc_id = x.amc_id`,
      [connectionId, entityType, JSON.stringify(metas.map((m) => ({ amc_id: m.amcId, meta: m.meta })))],
    );
  }

  /**
   * The live links of a type (on JOOR: a JOOR id, and not retired: `retiredHashPrefix`), a page at a
   * time in key order after `afterKey`; optionally only those under these parents, of these keys, or
   * written since a time.
   */
  async pageLive(
    connectionId: string,
    entityType: string,
    filter: { afterKey?: string | null; limit: number; retiredHashPrefix: string; parents?: string[]; keys?: string[]; syncedSince?: Date },
  ): Promise<EntityLink[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM entity_link
       WHERE connection_id = $1 AND entity_type = $2 AND joor_id IS NOT NULL AND (payload_hash IS NULL OR payload_hash NOT LIKE $3 || '%')
         AND amc_id > $4 AND ($5::text[] IS NULL OR parent_key = ANY($5::text[])) AND ($6::text[] IS NULL OR amc_id = ANY($6::text[]))
         AND ($7::timestamptz IS NULL OR synced_at >= $7::timestamptz)
       ORDER BY amc_id LIMIT $8`,
      [connectionId, entityType, filter.retiredHashPrefix, filter.afterKey ?? '', filter.parents ?? null, filter.keys ?? null, filter.syncedSince ?? null, filter.limit],
    );
    return rows.map(toLink);
  }

  /** Sets the parent of existing links (e.g. takes products out of their season: null). */
  async setParent(connectionId: string, entityType: string, amcIds: string[], parentKey: string | null): Promise<void> {
    if (amcIds.length === 0) return;
    await this.dataSource.query(`UPDATE entity_link SET parent_key = $4 WHERE connection_id = $1 AND entity_type = $2 AND amc_id = ANY($3::text[])`, [connectionId, entityType, amcIds, parentKey]);
  }

  /** Clears the parent of a style's links: the style's own key and its `<key>:<part>` keys (colorways sent as products). */
  async detachStyle(connectionId: string, entityType: string, styleKey: string): Promise<void> {
    await this.dataSource.query(`UPDATE entity_link SET parent_key = NULL WHERE connection_id = $1 AND entity_type = $2 AND (amc_id = $3 OR amc_id LIKE $3 || ':%') AND parent_key IS NOT NULL`, [
      connectionId,
      entityType,
      styleKey,
    ]);
  }

  /**
   * Refreshes the planner's statistics of entity_link. A first sync grows the table from nothing
   * by hundreds of thousands of rows within minutes, faster than autovacuum's analyze follows (or
   * with autovacuum off), and with stale statistics PostgreSQL picks a two-column index and filters
   * every link of the connection per lookup. Best effort: a role that may not ANALYZE just skips it.
   */
  async refreshStatistics(): Promise<boolean> {
    try {
      await this.dataSource.query(`ANALYZE entity_link`);
      return true;
    } catch {
      return false;
    }
  }
}
