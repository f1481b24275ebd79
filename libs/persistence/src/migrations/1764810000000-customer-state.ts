import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * customer_state: one row per connection and AMC customer, the customer sync's record of where each
 * customer stands with JOOR: `pending` (sent; JOOR's data team has not matched it yet), `active` (JOOR
 * knows its code), `failed` (refused, with the reason), `skipped` (not sent: no JOOR code, or inactive
 * in AMC), the hash of the payload JOOR last took (change detection), the code it took it under, and
 * when it was sent, matched and last looked up.
 */
export class CustomerState1764810000000 implements MigrationInterface {
  name = 'CustomerState1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_state (
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        amc_customer_id text NOT NULL,
        joor_code text,
        name text,
        state text NOT NULL CHECK (state IN ('pending','active','failed','skipped')),
        reason text,
        payload_hash text,
        sent_code text,
        sent_at timestamptz,
        activated_at timestamptz,
        checked_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, amc_customer_id)
      )`);
    await q.query(`CREATE INDEX customer_state_code_idx ON customer_state (connection_id, joor_code)`);
    await q.query(`CREATE INDEX customer_state_state_idx ON customer_state (connection_id, state, updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_state`);
  }
}
