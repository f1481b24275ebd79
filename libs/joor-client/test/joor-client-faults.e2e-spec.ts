import type { CreditBudget } from '@app/joor-budget';
import { JoorApiError } from '../src';
import { clientFixture, type ClientFixture } from './joor-client.fixture';

/** Each fault kind of the sandbox kit, once: retried when transient, surfaced when it persists. */
describe('JoorClient under injected faults', () => {
  let fx: ClientFixture;

  beforeAll(async () => {
    fx = await clientFixture('faults', { JOOR_SANDBOX_FAULT_TIMEOUT_MS: '3000', JOOR_SANDBOX_FAULT_SLOW_MS: '300', JOOR_SANDBOX_CREDITS_PER_WINDOW: '40', JOOR_SANDBOX_WINDOW_SECONDS: '2' });
  });
  afterAll(() => fx?.close());

  beforeEach(async () => {
    await fx.sb.control('DELETE', 'faults');
    await fx.sb.control('DELETE', 'calls');
    fx.events.length = 0;
  });

  const fault = (kind: string, extra: Record<string, unknown> = {}) => fx.sb.control('POST', 'faults', { rules: [{ path: '/v4/seasons', method: 'GET', kinds: [kind], rate: 1, times: 1, ...extra }], retryAfterSeconds: 1 });
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
    const started = Date.now();
    const seasons = await fx.client({ timeoutMs: 500 }).seasons();
    expect(seasons.items.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(fx.events.map((e) => [e.outcome, e.status])).toEqual([
      ['retry', null],
      ['ok', 200],
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
    const error = (await fx.client().seasons().catch((err: unknown) => err)) as JoorApiError;
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
    await fx.sb.control('DELETE', 'credits');
    const started = Date.now();
    // 45 GETs against 40 credits per 2 s window.
    for (let i = 0; i < 45; i++) await client.seasons();
    const statuses = ((await fx.sb.control('GET', 'calls?path=/v4/seasons')).calls as Array<{ status: number }>).map((c) => c.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(45);
    expect(Date.now() - started).toBeGreaterThan(500);
  });
});
