import { Client } from 'pg';
import { MIGRATIONS, revertAllMigrations, runMigrations } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';

const TABLES = ['connection', 'customer_state', 'entity_link', 'order_ledger', 'sync_cursor', 'sync_event', 'sync_run'];

describe('migrations (e2e)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migrations', { migrate: false });
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function tables(): Promise<string[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY 1`);
      return rows.map((r) => r.table_name as string);
    } finally {
      await client.end();
    }
  }

  it('apply to an empty database, revert completely, and apply again', async () => {
    expect(await tables()).toEqual([]);
    const applied = await runMigrations(db.url);
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
    expect(await runMigrations(db.url)).toEqual([]);

    expect(await revertAllMigrations(db.url)).toBe(MIGRATIONS.length);
    expect(await tables()).toEqual([]);

    expect(await runMigrations(db.url)).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
  });

  it('runs at once from several pods take turns: one applies everything, the others nothing', async () => {
    await revertAllMigrations(db.url);
    const runs = await Promise.all([1, 2, 3].map(() => runMigrations(db.url)));
    expect(runs.map((applied) => applied.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
  });
});
