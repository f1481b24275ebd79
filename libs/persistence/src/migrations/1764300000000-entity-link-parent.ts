import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * entity_link.parent_key: the AMC key a link belongs under (a SKU's style, a price's SKU, a
 * product's season), so a style that loses its SYNC flag can find every SKU JOOR has of it and a
 * season's linesheet can be rebuilt from the links alone, without reading JOOR.
 */
export class EntityLinkParent1764300000000 implements MigrationInterface {
  name = 'EntityLinkParent1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE entity_link ADD COLUMN parent_key text`);
    await q.query(`CREATE INDEX entity_link_parent_idx ON entity_link (connection_id, entity_type, parent_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX entity_link_parent_idx`);
    await q.query(`ALTER TABLE entity_link DROP COLUMN parent_key`);
  }
}
