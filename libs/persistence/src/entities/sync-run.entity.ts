import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { RunStatus, RunTrigger, SyncKind } from '@app/contracts';
import { ConnectionEntity } from './connection.entity';

@Entity({ name: 'sync_run' })
@Index('sync_run_connection_queued_idx', ['connectionId', 'queuedAt'])
export class SyncRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => ConnectionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id' })
  connection?: ConnectionEntity;

  @Column({ type: 'text' })
  kind: SyncKind;

  @Column({ type: 'text' })
  trigger: RunTrigger;

  @Column({ type: 'text', default: 'queued' })
  status: RunStatus;

  @Column({ name: 'progress_done', type: 'integer', default: 0 })
  progressDone: number;

  @Column({ name: 'progress_total', type: 'integer', nullable: true })
  progressTotal: number | null;

  @Column({ name: 'count_created', type: 'integer', default: 0 })
  countCreated: number;

  @Column({ name: 'count_updated', type: 'integer', default: 0 })
  countUpdated: number;

  @Column({ name: 'count_unchanged', type: 'integer', default: 0 })
  countUnchanged: number;

  @Column({ name: 'count_failed', type: 'integer', default: 0 })
  countFailed: number;

  @Column({ name: 'credits_spent', type: 'integer', default: 0 })
  creditsSpent: number;

  /** Run-specific facts worth keeping, e.g. the exchange rates a catalog run used. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  details: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'job_id', type: 'text', nullable: true })
  jobId: string | null;

  @Column({ name: 'queued_at', type: 'timestamptz', default: () => 'now()' })
  queuedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
