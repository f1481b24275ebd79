import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An AMC record and its JOOR counterpart, with the hash of the last payload sent (change detection). */
@Entity({ name: 'entity_link' })
@Index('entity_link_amc_uq', ['connectionId', 'entityType', 'amcId'], { unique: true })
@Index('entity_link_joor_idx', ['connectionId', 'entityType', 'joorId'])
export class EntityLinkEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'amc_id', type: 'text' })
  amcId: string;

  @Column({ name: 'joor_id', type: 'text', nullable: true })
  joorId: string | null;

  /** The AMC key this link belongs under (a SKU's style, a price's SKU, a product's season). */
  @Column({ name: 'parent_key', type: 'text', nullable: true })
  parentKey: string | null;

  @Column({ name: 'payload_hash', type: 'text', nullable: true })
  payloadHash: string | null;

  /** What identifies the entity on JOOR besides its id (a SKU's style, color, size, UPC), as last sent. */
  @Column({ type: 'jsonb', nullable: true })
  meta: Record<string, unknown> | null;

  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true })
  syncedAt: Date | null;
}
