import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** How far an incremental read has come, per connection and stream (e.g. `amc.products`). */
@Entity({ name: 'sync_cursor' })
export class SyncCursorEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @PrimaryColumn({ type: 'text' })
  stream: string;

  @Column({ type: 'text' })
  value: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
