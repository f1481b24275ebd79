import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** `ignored`: dated before the connection's start date; never created, not looked at again. */
export const ORDER_LEDGER_STATES = ['pending', 'created', 'failed', 'ignored'] as const;
export type OrderLedgerState = (typeof ORDER_LEDGER_STATES)[number];

/** One JOOR order's way into AMC; the unique key is what makes ingestion exactly-once. */
@Entity({ name: 'order_ledger' })
@Index('order_ledger_joor_uq', ['connectionId', 'joorOrderId'], { unique: true })
@Index('order_ledger_state_idx', ['connectionId', 'state'])
export class OrderLedgerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ name: 'joor_order_id', type: 'text' })
  joorOrderId: string;

  @Column({ type: 'text', default: 'pending' })
  state: OrderLedgerState;

  @Column({ name: 'amc_order_id', type: 'text', nullable: true })
  amcOrderId: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'joor_modified_at', type: 'timestamptz', nullable: true })
  joorModifiedAt: Date | null;

  @Column({ name: 'exported_at', type: 'timestamptz', nullable: true })
  exportedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
