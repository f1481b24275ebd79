import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type FindOptionsWhere } from 'typeorm';
import { CUSTOMER_STATES, CustomerStateEntity, type CustomerState } from '../entities/customer-state.entity';

/** One customer's row as customer-sync reads and writes it (every column but the keys' connection and `updated_at`). */
export type CustomerStateRow = Omit<CustomerStateEntity, 'connectionId' | 'updatedAt'>;

export interface CustomerStateFilter {
  state?: CustomerState;
  limit: number;
  offset: number;
}

/** Reasons are for people; keep them readable and bounded. */
const MAX_REASON = 2_000;

interface Raw {
  amc_customer_id: string;
  joor_code: string | null;
  name: string | null;
  state: CustomerState;
  reason: string | null;
  payload_hash: string | null;
  sent_code: string | null;
  sent_at: Date | null;
  activated_at: Date | null;
  checked_at: Date | null;
}

const COLUMNS = 'amc_customer_id, joor_code, name, state, reason, payload_hash, sent_code, sent_at, activated_at, checked_at';
const toRow = (r: Raw): CustomerStateRow => ({
  amcCustomerId: r.amc_customer_id,
  joorCode: r.joor_code,
  name: r.name,
  state: r.state,
  reason: r.reason,
  payloadHash: r.payload_hash,
  sentCode: r.sent_code,
  sentAt: r.sent_at,
  activatedAt: r.activated_at,
  checkedAt: r.checked_at,
});

/**
 * Where each AMC customer stands with JOOR (customer_state), read and written in sets (one
 * statement per batch). customer-sync writes it; the gateway reads it.
 */
@Injectable()
export class CustomerStateRepository {
  constructor(@InjectRepository(CustomerStateEntity) private readonly repo: Repository<CustomerStateEntity>) {}

  async find(connectionId: string, amcCustomerIds: string[]): Promise<Map<string, CustomerStateRow>> {
    if (amcCustomerIds.length === 0) return new Map();
    const rows: Raw[] = await this.repo.query(`SELECT ${COLUMNS} FROM customer_state WHERE connection_id = $1 AND amc_customer_id = ANY($2::text[])`, [connectionId, amcCustomerIds]);
    return new Map(rows.map((r) => [r.amc_customer_id, toRow(r)]));
  }

  /** The customers (other than `except`) that carried one of these codes when last looked at, skipped ones aside. */
  async holdersOf(connectionId: string, codes: string[], except: string[]): Promise<CustomerStateRow[]> {
    if (codes.length === 0) return [];
    const rows: Raw[] = await this.repo.query(
      `SELECT ${COLUMNS} FROM customer_state
       WHERE connection_id = $1 AND joor_code = ANY($2::text[]) AND state <> 'skipped' AND NOT (amc_customer_id = ANY($3::text[]))`,
      [connectionId, codes, except],
    );
    return rows.map(toRow);
  }

  /** Writes these rows whole (inserting the new ones). */
  async save(connectionId: string, rows: CustomerStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    // Last write of a customer wins within one call (ON CONFLICT cannot touch a row twice).
    const unique = [...new Map(rows.map((r) => [r.amcCustomerId, r])).values()];
    const iso = (at: Date | null) => (at ? at.toISOString() : null);
    await this.repo.query(
      `INSERT INTO customer_state (connection_id, ${COLUMNS}, updated_at)
       SELECT $1, x.amc_customer_id, x.joor_code, x.name, x.state, x.reason, x.payload_hash, x.sent_code, x.sent_at, x.activated_at, x.checked_at, now()
       FROM jsonb_to_recordset($2::jsonb) AS x(amc_customer_id text, joor_code text, name text, state text, reason text, payload_hash text, sent_code text,
         sent_at timestamptz, activated_at timestamptz, checked_at timestamptz)
       ON CONFLICT (connection_id, amc_customer_id) DO UPDATE SET
         joor_code = EXCLUDED.joor_code, name = EXCLUDED.name, state = EXCLUDED.state, reason = EXCLUDED.reason, payload_hash = EXCLUDED.payload_hash,
         sent_code = EXCLUDED.sent_code, sent_at = EXCLUDED.sent_at, activated_at = EXCLUDED.activated_at, checked_at = EXCLUDED.checked_at, updated_at = now()`,
      [
        connectionId,
        JSON.stringify(
          unique.map((r) => ({
            amc_customer_id: r.amcCustomerId,
            joor_code: r.joorCode,
            name: r.name,
            state: r.state,
            reason: r.reason === null ? null : r.reason.slice(0, MAX_REASON),
            payload_hash: r.payloadHash,
            sent_code: r.sentCode,
            sent_at: iso(r.sentAt),
            activated_at: iso(r.activatedAt),
            checked_at: iso(r.checkedAt),
          })),
        ),
      ],
    );
  }

  /**
   * Pending customers not looked at (sent or looked up) since `notSince`, the longest unseen first:
   * what a pending check looks up next.
   */
  async pendingDue(connectionId: string, notSince: Date, limit: number): Promise<CustomerStateRow[]> {
    const rows: Raw[] = await this.repo.query(
      `SELECT ${COLUMNS} FROM customer_state
       WHERE connection_id = $1 AND state = 'pending' AND joor_code IS NOT NULL AND COALESCE(checked_at, sent_at, updated_at) <= $2
       ORDER BY COALESCE(checked_at, sent_at, updated_at), amc_customer_id LIMIT $3`,
      [connectionId, notSince.toISOString(), limit],
    );
    return rows.map(toRow);
  }

  /** The rows of one connection, by JOOR code then AMC id; `state` filters. */
  async list(connectionId: string, filter: CustomerStateFilter): Promise<{ items: CustomerStateEntity[]; total: number }> {
    const where: FindOptionsWhere<CustomerStateEntity> = { connectionId };
    if (filter.state) where.state = filter.state;
    const [items, total] = await this.repo.findAndCount({ where, order: { joorCode: { direction: 'ASC', nulls: 'LAST' }, amcCustomerId: 'ASC' }, take: filter.limit, skip: filter.offset });
    return { items, total };
  }

  /** The customers carrying this JOOR code (more than one only when AMC holds the code twice, both refused). */
  findByCode(connectionId: string, joorCode: string): Promise<CustomerStateEntity[]> {
    return this.repo.find({ where: { connectionId, joorCode }, order: { amcCustomerId: 'ASC' } });
  }

  async countByState(connectionId: string): Promise<Record<CustomerState, number>> {
    const rows: Array<{ state: CustomerState; count: string }> = await this.repo.query(`SELECT state, count(*)::text AS count FROM customer_state WHERE connection_id = $1 GROUP BY state`, [
      connectionId,
    ]);
    const counts = Object.fromEntries(CUSTOMER_STATES.map((s) => [s, 0])) as Record<CustomerState, number>;
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  }
}
