import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testServices } from '@app/testing';
import { RedisCreditBudget, type CreditBudgetOptions } from '@app/joor-budget';

/** Against a real Redis: each test has its own key prefix and its own clients (as separate processes would). */
describe('RedisCreditBudget (real Redis)', () => {
  const clients: Redis[] = [];
  const prefixes: string[] = [];
  const account = 'acct-1';

  function budgets(count: number, options: CreditBudgetOptions): RedisCreditBudget[] {
    const keyPrefix = `t-joor-budget-${randomBytes(4).toString('hex')}`;
    prefixes.push(keyPrefix);
    return Array.from({ length: count }, () => {
      const client = new Redis(testServices().redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
      clients.push(client);
      return new RedisCreditBudget(client, { keyPrefix, ...options });
    });
  }

  afterAll(async () => {
    const admin = new Redis(testServices().redisUrl);
    for (const prefix of prefixes) {
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length) await admin.del(...keys);
    }
    await admin.quit();
    await Promise.all(clients.map((client) => client.quit()));
  });

  const noReserve = { orders: 0, inventory: 0, customers: 0, catalog: 0, media: 0 };

  it('grants up to the cap in a window, then holds the next call until the window has surely ended', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 12, safetyCredits: 2, windowMs: 800, marginMs: 100, reserve: noReserve, maxSleepMs: 200 });
    const first = await budget.acquire(account, 5, 'catalog');
    const second = await budget.acquire(account, 5, 'catalog');
    expect(second.windowStartedAt).toBe(first.windowStartedAt);
    expect((await budget.snapshot(account)).used).toBe(10);
    const late = await budget.acquire(account, 1, 'catalog');
    // 10 of a cap of 10 were taken: the next credit comes from the next window, 800 + 100 ms on.
    expect(late.windowStartedAt - first.windowStartedAt).toBeGreaterThanOrEqual(900);
    expect(late.waitedMs).toBeGreaterThan(500);
    expect((await budget.snapshot(account)).used).toBe(1);
  });

  it('forgets a window kept under other window settings instead of waiting it out', async () => {
    const keyPrefix = `t-joor-budget-${randomBytes(4).toString('hex')}`;
    prefixes.push(keyPrefix);
    const client = new Redis(testServices().redisUrl, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const long = new RedisCreditBudget(client, { keyPrefix, creditsPerWindow: 10, safetyCredits: 0, windowMs: 60_000, marginMs: 100, reserve: noReserve });
    await long.acquire(account, 10, 'catalog'); // the 60 s window is now full
    const short = new RedisCreditBudget(client, { keyPrefix, creditsPerWindow: 10, safetyCredits: 0, windowMs: 1_000, marginMs: 50, reserve: noReserve, maxSleepMs: 200 });
    const grant = await short.acquire(account, 5, 'catalog');
    expect(grant.waitedMs).toBeLessThan(500);
    expect((await short.snapshot(account)).used).toBe(5);
  });

  it('never hands out more than the cap per window to many clients racing at once', async () => {
    const windowMs = 600;
    const pool = budgets(4, { creditsPerWindow: 20, safetyCredits: 0, windowMs, marginMs: 50, reserve: noReserve, maxSleepMs: 100 });
    const grants: Array<{ window: number; credits: number }> = [];
    const deadline = Date.now() + 3 * windowMs;
    await Promise.all(
      pool.flatMap((budget, i) =>
        [1, 2].map(async (lane) => {
          const credits = (i + lane) % 2 === 0 ? 5 : 1;
          while (Date.now() < deadline) {
            const grant = await budget.acquire(account, credits, i % 2 === 0 ? 'catalog' : 'inventory');
            grants.push({ window: grant.windowStartedAt, credits });
          }
        }),
      ),
    );
    const used = new Map<number, number>();
    for (const grant of grants) used.set(grant.window, (used.get(grant.window) ?? 0) + grant.credits);
    const starts = [...used.keys()].sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    // Eight lanes in four clients raced for every credit: never more than the cap in one window...
    for (const start of starts) expect(used.get(start)).toBeLessThanOrEqual(20);
    // ...every full window was spent to the last credit that fits (a 5-credit call may leave 4)...
    for (const start of starts.slice(0, -1)) expect(used.get(start)).toBeGreaterThanOrEqual(16);
    // ...and a window opened only once the previous one had surely ended at JOOR (window + margin).
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(windowMs + 50);
  });

  it('keeps a reserve for orders while media saturates, and releases it to media late in the window', async () => {
    const [media, orders] = budgets(2, { creditsPerWindow: 40, safetyCredits: 0, windowMs: 1_500, marginMs: 50, reserve: { media: 0.25 }, reserveReleaseMs: 400, maxSleepMs: 100 });
    const started = Date.now();
    // 30 of 40 credits: media's share until the release begins.
    for (let i = 0; i < 6; i++) await media.acquire(account, 5, 'media');
    const blocked = media.acquire(account, 5, 'media').then(() => Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const orderGrant = await orders.acquire(account, 5, 'orders');
    expect(orderGrant.waitedMs).toBeLessThan(300);
    // Media waits for the release (last 400 ms before 1500 - 50), not for the next window.
    const mediaAt = await blocked;
    expect(mediaAt).toBeGreaterThanOrEqual(1_000);
    expect(mediaAt).toBeLessThan(1_450);
    expect((await media.snapshot(account)).used).toBe(40);
  });

  it('serves a waiting higher priority first when a new window opens', async () => {
    const [catalog, orders] = budgets(2, { creditsPerWindow: 10, safetyCredits: 0, windowMs: 700, marginMs: 50, reserve: noReserve, maxSleepMs: 100 });
    await catalog.acquire(account, 10, 'catalog');
    const order: string[] = [];
    const catalogDone = catalog.acquire(account, 6, 'catalog').then(() => order.push('catalog'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const ordersDone = orders.acquire(account, 6, 'orders').then(() => order.push('orders'));
    await Promise.all([catalogDone, ordersDone]);
    // Both wanted 6 of 10: the order came later but went first; catalog took the window after.
    expect(order).toEqual(['orders', 'catalog']);
  });

  it('blocks the account until the reset after a 429', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 100, windowMs: 5_000, marginMs: 50, resetPrecisionMs: 50, maxSleepMs: 200 });
    await budget.acquire(account, 1, 'orders');
    expect(await budget.observeWithResult(account, { limited: true, resetInMs: 600 })).toBe('blocked');
    const grant = await budget.acquire(account, 1, 'orders');
    expect(grant.waitedMs).toBeGreaterThanOrEqual(550);
    expect(grant.waitedMs).toBeLessThan(1_500);
  });

  it('takes JOOR at its word when it counts more than we granted, and realigns to its reset', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 20, safetyCredits: 0, windowMs: 3_000, marginMs: 50, resetPrecisionMs: 50, reserve: noReserve, maxSleepMs: 200 });
    await budget.acquire(account, 1, 'orders');
    expect(await budget.observeWithResult(account, { remaining: 19, resetInMs: 2_950 })).toBe('aligned');
    expect((await budget.snapshot(account)).used).toBe(1);
    // Someone else spent 15 and JOOR's window ends in 700 ms, not ~3 s.
    expect(await budget.observeWithResult(account, { remaining: 4, resetInMs: 700 })).toBe('realigned');
    const snapshot = await budget.snapshot(account);
    expect(snapshot.used).toBe(16);
    expect(snapshot.resumeInMs).toBeLessThan(800);
    const grant = await budget.acquire(account, 5, 'orders');
    // Not in this window (4 left), and not as late as our own guess of the window end.
    expect(grant.waitedMs).toBeGreaterThanOrEqual(500);
    expect(grant.waitedMs).toBeLessThan(1_500);
  });

  it('ignores a late answer about the previous window and adopts a window it did not open', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 20, safetyCredits: 0, windowMs: 2_000, marginMs: 50, resetPrecisionMs: 50, maxSleepMs: 200 });
    expect(await budget.observeWithResult(account, { remaining: 0, resetInMs: 600 })).toBe('adopted');
    const grant = await budget.acquire(account, 1, 'orders');
    expect(grant.waitedMs).toBeGreaterThanOrEqual(550);
    expect(await budget.observeWithResult(account, { remaining: 0, resetInMs: 20 })).toBe('ignored');
    expect((await budget.snapshot(account)).used).toBe(1);
  });

  it('moves on to the next JOOR window when a late request opened it before ours ended', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 20, safetyCredits: 0, windowMs: 1_000, marginMs: 50, resetPrecisionMs: 50, reserve: noReserve, maxSleepMs: 100 });
    await budget.acquire(account, 20, 'catalog');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Our window has 50 ms to go; JOOR already counts 5 credits in a new one that ends in ~1 s.
    expect(await budget.observeWithResult(account, { remaining: 15, resetInMs: 990 })).toBe('adopted');
    const snapshot = await budget.snapshot(account);
    expect(snapshot.used).toBe(5);
    expect(snapshot.resumeInMs).toBeGreaterThan(900);
    // The 15 credits left in JOOR's window are ours at once, not after a skipped window.
    const grant = await budget.acquire(account, 15, 'catalog');
    expect(grant.waitedMs).toBeLessThan(400);
    await expect(budget.snapshot(account)).resolves.toMatchObject({ used: 20 });
  });

  it('lets an aborted waiter go and forgets its place', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 10, safetyCredits: 0, windowMs: 10_000, marginMs: 50, reserve: noReserve, maxSleepMs: 500 });
    await budget.acquire(account, 10, 'catalog');
    const controller = new AbortController();
    const waiting = budget.acquire(account, 1, 'orders', controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await budget.snapshot(account)).waiting).toEqual([{ priority: 'orders', credits: 1 }]);
    controller.abort();
    await expect(waiting).rejects.toThrow();
    expect((await budget.snapshot(account)).waiting).toEqual([]);
  });

  it('refuses a call that could never fit a window', async () => {
    const [budget] = budgets(1, { creditsPerWindow: 10, safetyCredits: 2 });
    await expect(budget.acquire(account, 9, 'orders')).rejects.toThrow(/1 to 8/);
    await expect(budget.acquire(account, 0, 'orders')).rejects.toThrow(/cannot be taken/);
  });
});
