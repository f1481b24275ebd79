import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sync_run.status 'cancelled': a run stopped at a batch boundary because its connection was paused
 * or deleted, with what it did kept on the record.
 * connection.paused_at: when the connection was paused (null: it runs). The sync services read it at
 * every batch boundary, so a pause reaches a running job even when the mesh event about it was lost.
 */
export class RunCancelledAndConnectionPause1764600000000 implements MigrationInterface {
  name = 'RunCancelledAndConnectionPause1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`);
    await q.query(`ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check CHECK (status IN ('queued','running','succeeded','partial','failed','cancelled'))`);
    await q.query(`ALTER TABLE connection ADD COLUMN paused_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connection DROP COLUMN paused_at`);
    await q.query(`UPDATE sync_run SET status = 'failed', error = COALESCE(error, 'cancelled') WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`);
    await q.query(`ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check CHECK (status IN ('queued','running','succeeded','partial','failed'))`);
  }
}
