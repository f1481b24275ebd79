import { Client } from 'pg';
import type { JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';

/**
 * The sandbox keeps its times (credit windows, token expiry, pending connections) in PostgreSQL
 * and reads PostgreSQL's clock: a test makes time pass for it by moving the stored times back,
 * instead of sleeping through short windows that a busy machine could overrun.
 */
export async function moveSandboxTimesBack(sb: Pick<JoorSandboxHarness, 'database'>, sql: string, params: unknown[] = []): Promise<number> {
  const db = new Client({ connectionString: sb.database.url });
  await db.connect();
  try {
    return (await db.query(sql, params)).rowCount ?? 0;
  } finally {
    await db.end();
  }
}
