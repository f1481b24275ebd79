import { Client } from 'pg';
import type { CreditBudget } from '@app/joor-budget';
import { JoorApiError } from '../src';
import { clientFixture, type ClientFixture } from './joor-client.fixture';

/** Each fault kind of the sandbox kit, once: retried when transient, surfaced when it persists. */
describe('JoorClient under injected faults', () => {
  let fx: ClientFixture;

  beforeAll(async () => {
    fx = await clientFixture('faults', { JOOR_SANDBOX_FAULT_TIMEOUT_MS: '3000', JOOR_SANDBOX_FAULT_SLOW_MS: '300', JOOR_SANDBOX_CREDITS_PER_WINDOW: '40', JOOR_SANDBOX_WINDOW_SECONDS: '5' });
  });
  afterAll(() => fx?.close());

  beforeEach(async () => {
    await fx.sb.control('DELETE', 'faults');
    await fx.sb.control('DELETE', 'calls');
    fx.events.length = 0;
  });

  const fault = (kind: string, extra: Record<string, unknown> = {}) =>
    fx.sb.control('POST', 'faults', { rules: [{ path: '/v4/seasons', method: 'GET', kinds: [kind], rate: 1, times: 1, ...extra }], retryAfterSeconds: 1 });
  /**
   * Opens the account's JOOR window now, already spent (as if 40 calls had just been made), in the
   * sandbox's own table: the window starts when this statement runs, not after a race of calls.
   */
  const exhaustWindowNow = async () => {
    const db = new Client({ connectionString: fx.sb.database.url });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO joor_sandbox.credit_windows (account_id, window_start, used, granted) VALUES ($1, statement_timestamp(), $2, true)
         ON CONFLICT (account_id) DO UPDATE SET window_start = EXCLUDED.window_start, used = EXCLUDED.used, granted = true`,
        [fx.sb.accountId, fx.sb.config.creditsPerWindow],
      );
    } finally {
      await db.end();
    }
  };
  const seasonCalls = async () => ((await fx.sb.control('GET', 'calls?path=/v4/seasons')).calls as Array<{ status: number; fault: string | null }>).map((c) => [c.status, c.fault]);

  it.each(['500', '503', 'malformed'])('retries a %s and then succeeds', async (kind) => {
    await fault(kind);
    const seasons = await fx.client({ timeoutMs: 1_000 }).seasons();
    expect(seasons.items.length).toBeGreaterThan(0);
    expect((await seasonCalls()).map(([, f]) => f)).toEqual([kind, null]);
    expect(fx.events.map((e) => e.outcome)).toEqual(['retry', 'ok']);
  });

  it('retries a timeout (the client gives up at its own timeout, well before the held socket closes)', async () => {
    await fault('timeout');
    const seasons = await fx.client({ timeoutMs: 500 }).seasons();
    expect(seasons.items.length).toBeGreaterThan(0);
    // Its own deadline cut the first attempt, not the sandbox dropping the socket 3 s on (that
    // would read 'connection failed or was reset'), however slow the machine.
    expect(fx.events.map((e) => [e.outcome, e.status, e.reason])).toEqual([
      ['retry', null, 'no answer within 500 ms'],
      ['ok', 200, undefined],
    ]);
  });

  it('waits out a slow answer within its timeout, without a retry', async () => {
    await fault('slow');
    await fx.client({ timeoutMs: 2_000 }).seasons();
    expect(fx.events.map((e) => e.outcome)).toEqual(['ok']);
    expect(fx.events[0].durationMs).toBeGreaterThanOrEqual(290);
  });

  it('honours Retry-After on a 429 before trying again', async () => {
    await fault('429');
    const started = Date.now();
    await fx.client().seasons();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await seasonCalls()).map(([s]) => s)).toEqual([429, 200]);
  });

  it('surfaces a fault that persists as a transient JoorApiError after the last attempt', async () => {
    await fx.sb.control('POST', 'faults', { rules: [{ path: '/v4/seasons', kinds: ['503'], rate: 1 }] });
    const error = (await fx
      .client()
      .seasons()
      .catch((err: unknown) => err)) as JoorApiError;
    expect(error).toBeInstanceOf(JoorApiError);
    expect(error.transient).toBe(true);
    expect(error.httpStatus).toBe(503);
    expect(error.details.attempts).toBe(4);
    expect(await seasonCalls()).toHaveLength(4);
  });

  it('a write whose answer was lost is retried and resolves through DUPLICATED to the record it created', async () => {
    await fx.sb.control('POST', 'faults', { rules: [{ path: '/v4/products/bulk_create', method: 'POST', kinds: ['malformed'], rate: 1, times: 1 }] });
    const result = await fx.client().createProducts([{ name: 'Lost answer', external_id: 'LOST-1', product_identifier: 'LOST-1' }]);
    expect(result.ok).toEqual([expect.objectContaining({ index: 0, duplicated: true })]);
    const stored = (await fx.sb.control('GET', 'state/products')) as Array<{ id: number; external_id: string }>;
    expect(stored.filter((p) => p.external_id === 'LOST-1').map((p) => String(p.id))).toEqual([result.ok[0].id]);
  });

  it('rides out a real 429 from the credit limit when the budget lets too much through (waits for the reset)', async () => {
    const generous: CreditBudget = { acquire: async () => ({ waitedMs: 0 }), observe: async () => undefined };
    const client = fx.client({ budget: generous });
    // The next call lands in a spent 5 s window (one call, however slow the machine): JOOR refuses it.
    await exhaustWindowNow();
    for (let i = 0; i < 5; i++) await client.seasons();
    const statuses = ((await fx.sb.control('GET', 'calls?path=/v4/seasons')).calls as Array<{ status: number }>).map((c) => c.status);
    // One 429, then the retry waited for the reset JOOR named: a retry on the client's own backoff
    // (at most 500 ms here) would have met the spent window again, and again.
    expect(statuses).toEqual([429, 200, 200, 200, 200, 200]);
    expect(fx.events.filter((e) => e.status === 429).map((e) => e.outcome)).toEqual(['retry']);
  });
});
