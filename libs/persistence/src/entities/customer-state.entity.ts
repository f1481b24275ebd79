import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * `pending`: sent, JOOR's data team has not matched the new customer yet; `active`: JOOR knows its
 * code; `failed`: refused (by our checks or by JOOR), with the reason; `skipped`: not sent (no JOOR
 * code in AMC, or inactive there).
 */
export const CUSTOMER_STATES = ['pending', 'active', 'failed', 'skipped'] as const;
export type CustomerState = (typeof CUSTOMER_STATES)[number];

/** Where one AMC customer stands with JOOR (see the migration CustomerState1764810000000). */
@Entity({ name: 'customer_state' })
@Index('customer_state_code_idx', ['connectionId', 'joorCode'])
export class CustomerStateEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @PrimaryColumn({ name: 'amc_customer_id', type: 'text' })
  amcCustomerId: string;

  /** The JOOR code the AMC customer carries now (null: none). */
  @Column({ name: 'joor_code', type: 'text', nullable: true })
  joorCode: string | null;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text' })
  state: CustomerState;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Hash of the payload JOOR last took (null: it never took one). */
  @Column({ name: 'payload_hash', type: 'text', nullable: true })
  payloadHash: string | null;

  /** The code JOOR last took the customer under. */
  @Column({ name: 'sent_code', type: 'text', nullable: true })
  sentCode: string | null;

  /** When the customer was last sent to JOOR (taken or refused). */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When JOOR first showed it as known under `sentCode` (null: not yet). */
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  /** When a pending check last looked it up. */
  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
