import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { EventLevel } from '@app/contracts';
import { SyncRunEntity } from './sync-run.entity';

/** Something a person may need to act on, tied to the run and the entity it concerns. */
@Entity({ name: 'sync_event' })
@Index('sync_event_run_idx', ['runId', 'id'])
@Index('sync_event_connection_idx', ['connectionId', 'id'])
export class SyncEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId: string | null;

  @ManyToOne(() => SyncRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: SyncRunEntity;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ type: 'text' })
  level: EventLevel;

  @Column({ name: 'entity_type', type: 'text', nullable: true })
  entityType: string | null;

  @Column({ name: 'entity_key', type: 'text', nullable: true })
  entityKey: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
