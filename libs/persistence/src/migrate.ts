import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

/**
 * Any fixed number: the key of the advisory lock that makes concurrent runs take turns (in
 * Kubernetes every service pod's init container runs the migrations; k8s/README.md).
 */
export const MIGRATION_LOCK_KEY = 0x616d636a;

/** Applies pending migrations; returns the names applied. Concurrent runs wait for each other, so the later ones apply nothing. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const { Client } = await import('pg');
  const lock = new Client({ connectionString: databaseUrl, application_name: 'amc-joor-migrate-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource(buildDataSourceOptions(databaseUrl, { applicationName: 'amc-joor-migrate', poolSize: 2 }));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    // Ending the session releases the lock, also when the migrations failed.
    await lock.end();
  }
}

/** Reverts every applied migration, newest first; returns how many were reverted. */
export async function revertAllMigrations(databaseUrl: string): Promise<number> {
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl, { applicationName: 'amc-joor-migrate', poolSize: 2 }));
  await dataSource.initialize();
  let reverted = 0;
  try {
    while (await hasApplied(dataSource)) {
      await dataSource.undoLastMigration({ transaction: 'all' });
      reverted += 1;
    }
    return reverted;
  } finally {
    await dataSource.destroy();
  }
}

async function hasApplied(dataSource: DataSource): Promise<boolean> {
  const [row] = await dataSource.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  if (!row.present) return false;
  const [count] = await dataSource.query(`SELECT count(*)::int AS n FROM schema_migrations`);
  return count.n > 0;
}

/** Creates the database named in the URL when it does not exist yet (development convenience). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name || name === 'postgres') return false;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}
