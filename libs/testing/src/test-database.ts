import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@app/persistence';
import { testServices } from './test-services';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServices().adminDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A database of this test's own (isolation between test files), migrated unless `migrate: false`. */
export async function createTestDatabase(label: string, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(testServices().adminDatabaseUrl, name);
  if (options.migrate ?? true) await runMigrations(url);
  return {
    name,
    url,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A queue prefix of this test's own, so BullMQ keys never collide between test files. */
export function testQueuePrefix(label: string): string {
  return `t-${label.replace(/[^a-z0-9]/gi, '-').slice(0, 20)}-${randomBytes(3).toString('hex')}`;
}
