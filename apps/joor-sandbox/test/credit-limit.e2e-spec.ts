import { JoorRaw, startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';
import { moveSandboxTimesBack } from './sandbox-time';

/**
 * JOOR's credit limit, shortened to 20 credits per window (the real one is 300 per 300 s). The
 * window is a minute, far longer than the calls a test makes in it however busy the machine;
 * its end is reached by moving the window's start back (see sandbox-time.ts), not by waiting.
 */
const WINDOW_SECONDS = 60;

describe('JOOR sandbox credit limit', () => {
  let sb: JoorSandboxHarness;
  let raw: JoorRaw;

  beforeAll(async () => {
    sb = await startJoorSandbox('credits', { JOOR_SANDBOX_CREDITS_PER_WINDOW: '20', JOOR_SANDBOX_WINDOW_SECONDS: String(WINDOW_SECONDS) });
    raw = new JoorRaw(sb);
    await raw.token();
  });
  afterAll(() => sb?.close());

  beforeEach(async () => {
    await sb.control('DELETE', 'credits');
    await sb.control('DELETE', 'calls');
  });

  it('charges GET 1 and writes 5, reports the window in headers on every response, and refuses with 429 + Retry-After beyond it', async () => {
    const first = await raw.v4('GET', '/price_types');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('20');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('19');
    expect(first.headers.get('x-throttling-account-id')).toBe(sb.accountId);
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    // The first call opened the window: it ends within a window from now.
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(WINDOW_SECONDS);
    const { windowStart } = await sb.control('GET', 'state/credits');
    expect(windowStart).toEqual(expect.any(String));

    const write = await raw.v4('POST', '/products/bulk_create', [{ name: 'A', external_id: 'credit-a', product_identifier: 'CR-A' }]);
    expect(write.status).toBe(200);
    expect(write.headers.get('x-ratelimit-remaining')).toBe('14');

    for (let i = 0; i < 2; i++) expect((await raw.v4('POST', '/products/bulk_update', [{ id: write.body.data[0].id, name: `A${i}` }])).status).toBe(200);
    // 4 left: a write (5) no longer fits, a GET does.
    const refused = await raw.v4('POST', '/products/bulk_update', [{ id: write.body.data[0].id, name: 'B' }]);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].status).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(WINDOW_SECONDS);
    // The window is fixed: every later answer counts down to the same end.
    expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(reset);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('4');
    // A refused call cost nothing: the 4 credits are still there.
    for (let i = 0; i < 4; i++) expect((await raw.v4('GET', '/seasons')).status).toBe(200);
    const empty = await raw.v4('GET', '/seasons');
    expect(empty.status).toBe(429);
    expect(empty.headers.get('x-ratelimit-remaining')).toBe('0');

    // The call log carries the credits each call cost.
    const calls = (await sb.control('GET', 'calls?path=/v4')).calls as Array<{ status: number; credits: number; account: string }>;
    expect(calls.map((c) => c.credits)).toEqual([1, 5, 5, 5, 0, 1, 1, 1, 1, 0]);
    expect(calls.every((c) => c.account === sb.accountId)).toBe(true);

    // The window is fixed: it still is the one the first call opened; it resets at its end, and
    // the next request opens a new one (its end reached by moving its start a window back).
    expect((await sb.control('GET', 'state/credits')).windowStart).toBe(windowStart);
    const moved = await moveSandboxTimesBack(sb, 'UPDATE joor_sandbox.credit_windows SET window_start = window_start - make_interval(secs => $1)', [WINDOW_SECONDS]);
    expect(moved).toBe(1);
    const fresh = await raw.v4('GET', '/seasons');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('19');
    expect(Date.parse((await sb.control('GET', 'state/credits')).windowStart)).toBeGreaterThan(Date.parse(windowStart));
  });

  it('never overspends under concurrency, and auth and /_sandbox calls are free', async () => {
    const answers = await Promise.all(Array.from({ length: 35 }, () => raw.v4('GET', '/seasons')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(15);
    expect((await raw.auth()).status).toBe(200);
    expect((await sb.control('GET', 'state/credits')).used).toBe(20);
  });

  it('charges v2 calls to the same account, and refuses v2 without a Content-Type before charging', async () => {
    const noType: Response = await fetch(`${sb.url}/v2/order/?sync=0`, { headers: { authorization: `OAuth2 ${Buffer.from(sb.config.v2Token).toString('base64')}` } });
    expect(noType.status).toBe(400);
    expect(((await noType.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(/Content-Type/);
    const feed = await raw.v2('GET', '/order/', undefined, { sync: '0', count: '1' });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('x-ratelimit-remaining')).toBe('19');
    expect(feed.headers.get('x-throttling-account-id')).toBe(sb.accountId);
  });
});
