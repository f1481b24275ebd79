import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * entity_link.meta: what identifies the entity on JOOR besides its id, as the last write sent it (a
 * SKU's style identifier, style number, color code, color, size and UPC), so inventory sync can
 * address the SKUs catalog sync put on JOOR without reading the catalog again.
 */
export class EntityLinkMeta1764700000000 implements MigrationInterface {
  name = 'EntityLinkMeta1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE entity_link ADD COLUMN meta jsonb`);
    await q.query(`CREATE INDEX entity_link_synced_idx ON entity_link (connection_id, entity_type, synced_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX entity_link_synced_idx`);
    await q.query(`ALTER TABLE entity_link DROP COLUMN meta`);
  }
}
