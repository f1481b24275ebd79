import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764230400000 implements MigrationInterface {
  name = 'InitialSchema1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connection (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        amc_base_url text NOT NULL,
        joor_v2_base_url text NOT NULL,
        joor_v4_base_url text NOT NULL,
        joor_auth_url text NOT NULL,
        joor_account_id text NOT NULL,
        joor_client_id text NOT NULL,
        joor_username text NOT NULL,
        secrets_enc text NOT NULL,
        settings jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT connection_name_uq UNIQUE (name)
      )`);
    await q.query(`
      CREATE TABLE sync_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('styles','images','inventory','customers','orders')),
        trigger text NOT NULL CHECK (trigger IN ('manual','schedule','follow-up')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','succeeded','partial','failed')),
        progress_done integer NOT NULL DEFAULT 0,
        progress_total integer,
        count_created integer NOT NULL DEFAULT 0,
        count_updated integer NOT NULL DEFAULT 0,
        count_unchanged integer NOT NULL DEFAULT 0,
        count_failed integer NOT NULL DEFAULT 0,
        credits_spent integer NOT NULL DEFAULT 0,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        error text,
        job_id text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX sync_run_connection_queued_idx ON sync_run (connection_id, queued_at)`);
    await q.query(`
      CREATE TABLE sync_event (
        id bigserial PRIMARY KEY,
        run_id uuid REFERENCES sync_run(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        level text NOT NULL CHECK (level IN ('info','warning','error')),
        entity_type text,
        entity_key text,
        reason text NOT NULL,
        details jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sync_event_run_idx ON sync_event (run_id, id)`);
    await q.query(`CREATE INDEX sync_event_connection_idx ON sync_event (connection_id, id)`);
    await q.query(`
      CREATE TABLE entity_link (
        id bigserial PRIMARY KEY,
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        entity_type text NOT NULL,
        amc_id text NOT NULL,
        joor_id text,
        payload_hash text,
        synced_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX entity_link_amc_uq ON entity_link (connection_id, entity_type, amc_id)`);
    await q.query(`CREATE INDEX entity_link_joor_idx ON entity_link (connection_id, entity_type, joor_id)`);
    await q.query(`
      CREATE TABLE sync_cursor (
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        stream text NOT NULL,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, stream)
      )`);
    await q.query(`
      CREATE TABLE order_ledger (
        id bigserial PRIMARY KEY,
        connection_id uuid NOT NULL REFERENCES connection(id) ON DELETE CASCADE,
        joor_order_id text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','created','failed')),
        amc_order_id text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        joor_modified_at timestamptz,
        exported_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX order_ledger_joor_uq ON order_ledger (connection_id, joor_order_id)`);
    await q.query(`CREATE INDEX order_ledger_state_idx ON order_ledger (connection_id, state)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_ledger`);
    await q.query(`DROP TABLE sync_cursor`);
    await q.query(`DROP TABLE entity_link`);
    await q.query(`DROP TABLE sync_event`);
    await q.query(`DROP TABLE sync_run`);
    await q.query(`DROP TABLE connection`);
  }
}
