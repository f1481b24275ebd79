import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sync_due: entities JOOR refused (or that failed for a transient reason after their retries), kept
 * due so the next scheduled delta tries them again without waiting for a full sync.
 * order_ledger.state 'ignored': orders dated before the connection's start date, remembered so a
 * poll does not look at them again.
 */
export class SyncDueAndIgnoredOrders1764500000000 implements MigrationInterface {
  name = 'SyncDueAndIgnoredOrders1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_due (
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        kind text NOT NULL,
        entity_key text NOT NULL,
        reason text NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        first_failed_at timestamptz NOT NULL DEFAULT now(),
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, kind, entity_key)
      )`);
    await q.query(`CREATE INDEX sync_due_next_idx ON sync_due (connection_id, kind, next_attempt_at)`);
    await q.query(`ALTER TABLE order_ledger DROP CONSTRAINT order_ledger_state_check`);
    await q.query(`ALTER TABLE order_ledger ADD CONSTRAINT order_ledger_state_check CHECK (state IN ('pending','created','failed','ignored'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE order_ledger SET state = 'pending' WHERE state = 'ignored'`);
    await q.query(`ALTER TABLE order_ledger DROP CONSTRAINT order_ledger_state_check`);
    await q.query(`ALTER TABLE order_ledger ADD CONSTRAINT order_ledger_state_check CHECK (state IN ('pending','created','failed'))`);
    await q.query(`DROP TABLE sync_due`);
  }
}
