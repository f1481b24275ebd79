import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testServices } from '@app/testing';
import { ManualClock } from '@app/testing';
import { RedisCreditBudget, type CreditBudgetOptions } from '@app/joor-budget';

/**
 * Against a real Redis: each test has its own key prefix and its own clients (as separate
 * processes would). The timing logic runs on an injected ManualClock (see README.md, "Testing the
 * timing"), so every bound below is exact in the budget's own time and holds on any machine; the
 * first test runs on Redis's clock, as production does, and asserts only what a loaded machine
 * cannot change.
 *
 * With a ManualClock, Redis still expires the keys in real time (housekeeping, a window after
 * the window ends): the windows here are a minute long, far longer than any test runs, which
 * costs nothing since the clock jumps.
 */
describe('RedisCreditBudget (real Redis)', () => {
  const clients: Redis[] = [];
  const prefixes: string[] = [];
  const account = 'acct-1';
  const MINUTE = 60_000;

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

  it("on Redis's clock (production): grants up to the cap in a window, then opens the next one only once it has surely ended", async () => {
    const windowMs = 2_000;
    const marginMs = 100;
    const [budget] = budgets(1, { creditsPerWindow: 12, safetyCredits: 2, windowMs, marginMs, reserve: noReserve, maxSleepMs: 200 });
    const first = await budget.acquire(account, 5, 'catalog');
    const second = await budget.acquire(account, 5, 'catalog');
    // Two calls back to back, well inside a 2 s window.
    expect(second.windowStartedAt).toBe(first.windowStartedAt);
    expect((await budget.snapshot(account)).used).toBe(10);
    const late = await budget.acquire(account, 1, 'catalog');
    // 10 of a cap of 10 were taken: the next credit comes from the next window, window + margin on
    // (both starts are Redis's TIME, so a slow machine can only make the gap longer).
    expect(late.windowStartedAt - first.windowStartedAt).toBeGreaterThanOrEqual(windowMs + marginMs);
    expect((await budget.snapshot(account)).used).toBe(1);
  });

  it('on an injected clock: takes its time from it, and holds the call after the cap exactly until window + margin', async () => {
    const clock = new ManualClock();
    const o = { creditsPerWindow: 12, safetyCredits: 2, windowMs: MINUTE, marginMs: 1_000, reserve: noReserve, maxSleepMs: 5_000, clock };
    const [budget, other] = budgets(2, o);
    const opened = clock.now();
    const first = await budget.acquire(account, 5, 'catalog');
    const second = await other.acquire(account, 5, 'catalog');
    // The window starts at the clock's time, not Redis's.
    expect(first.windowStartedAt).toBe(opened);
    expect(second).toEqual({ waitedMs: 0, windowStartedAt: opened });
    expect(await budget.snapshot(account)).toMatchObject({ used: 10, freezeInMs: o.windowMs - o.marginMs, resumeInMs: o.windowMs + o.marginMs });
    const late = await clock.run(budget.acquire(account, 1, 'catalog'));
    // Granted at the first wake-up at or after window + margin: not before, and not a re-check later.
    expect(late.waitedMs).toBeGreaterThanOrEqual(o.windowMs + o.marginMs);
    expect(late.waitedMs).toBeLessThan(o.windowMs + o.marginMs + o.maxSleepMs);
    expect(late.windowStartedAt).toBe(opened + late.waitedMs);
    expect((await budget.snapshot(account)).used).toBe(1);
  });

  it('forgets a window kept under other window settings instead of waiting it out', async () => {
    const clock = new ManualClock();
    const keyPrefix = `t-joor-budget-${randomBytes(4).toString('hex')}`;
    prefixes.push(keyPrefix);
    const client = new Redis(testServices().redisUrl, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const long = new RedisCreditBudget(client, { keyPrefix, creditsPerWindow: 10, safetyCredits: 0, windowMs: 5 * MINUTE, marginMs: 100, reserve: noReserve, clock });
    await long.acquire(account, 10, 'catalog'); // the 5-minute window is now full
    const short = new RedisCreditBudget(client, { keyPrefix, creditsPerWindow: 10, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, reserve: noReserve, maxSleepMs: 5_000, clock });
    // Waiting the long window out would take 5 minutes of the clock's time; forgetting it, none.
    const grant = await clock.run(short.acquire(account, 5, 'catalog'));
    expect(grant.waitedMs).toBe(0);
    expect((await short.snapshot(account)).used).toBe(5);
  });

  it('never hands out more than the cap per window to many clients racing at once', async () => {
    const clock = new ManualClock();
    const windowMs = MINUTE;
    const marginMs = 50;
    const pool = budgets(4, { creditsPerWindow: 20, safetyCredits: 0, windowMs, marginMs, reserve: noReserve, maxSleepMs: 20_000, clock });
    const grants: Array<{ window: number; credits: number }> = [];
    const starts = new Set<number>();
    const stop = new AbortController();
    const lanes = pool.flatMap((budget, i) =>
      [1, 2].map(async (lane) => {
        const credits = (i + lane) % 2 === 0 ? 5 : 1;
        while (!stop.signal.aborted) {
          const grant = await budget.acquire(account, credits, i % 2 === 0 ? 'catalog' : 'inventory', stop.signal).catch((err: unknown) => {
            if (stop.signal.aborted) return null;
            throw err;
          });
          if (!grant) return;
          grants.push({ window: grant.windowStartedAt, credits });
          starts.add(grant.windowStartedAt);
          // Four full windows, then stop: the fifth is partial.
          if (starts.size >= 5) stop.abort();
        }
      }),
    );
    // Eight lanes in four clients, woken together whenever all sleep, race for every credit.
    await clock.runAll(lanes, { batchMs: 25 });
    await Promise.all(lanes);
    const used = new Map<number, number>();
    for (const grant of grants) used.set(grant.window, (used.get(grant.window) ?? 0) + grant.credits);
    const windows = [...used.keys()].sort((a, b) => a - b);
    expect(windows.length).toBeGreaterThanOrEqual(5);
    // Never more than the cap in one window...
    for (const start of windows) expect(used.get(start)).toBeLessThanOrEqual(20);
    // ...every full window was spent to the last credit that fits (a 5-credit call may leave 4)...
    for (const start of windows.slice(0, -1)) expect(used.get(start)).toBeGreaterThanOrEqual(16);
    // ...and a window opened only once the previous one had surely ended at JOOR (window + margin).
    for (let i = 1; i < windows.length; i++) expect(windows[i] - windows[i - 1]).toBeGreaterThanOrEqual(windowMs + marginMs);
  });

  it('keeps a reserve for orders while media saturates, and releases it to media late in the window', async () => {
    const clock = new ManualClock();
    const [media, orders] = budgets(2, { creditsPerWindow: 40, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, reserve: { media: 0.25 }, reserveReleaseMs: 400, maxSleepMs: 5_000, clock });
    const o = media.options;
    const opened = clock.now();
    // 30 of 40 credits: media's share until the release begins.
    for (let i = 0; i < 6; i++) expect((await media.acquire(account, 5, 'media')).waitedMs).toBe(0);
    const blocked = media.acquire(account, 5, 'media').then(() => clock.now() - opened);
    await clock.whenSleeping(1);
    clock.advance(100);
    // Orders take from media's reserve at once (media's wait keeps sleeping meanwhile).
    const orderGrant = await clock.run(orders.acquire(account, 5, 'orders'), { alsoSleeping: 1 });
    expect(orderGrant.waitedMs).toBe(0);
    // Media waits for the release (the last reserveReleaseMs before the freeze), not for the next window.
    const mediaAt = await clock.run(blocked);
    const freezeAt = o.windowMs - o.marginMs;
    expect(mediaAt).toBeGreaterThanOrEqual(freezeAt - o.reserveReleaseMs);
    expect(mediaAt).toBeLessThan(freezeAt);
    expect((await media.snapshot(account)).used).toBe(40);
  });

  it('serves a waiting higher priority first when a new window opens', async () => {
    const clock = new ManualClock();
    const [catalog, orders] = budgets(2, { creditsPerWindow: 10, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, reserve: noReserve, maxSleepMs: 5_000, clock });
    await catalog.acquire(account, 10, 'catalog');
    const order: string[] = [];
    const catalogDone = catalog.acquire(account, 6, 'catalog').then((grant) => (order.push('catalog'), grant));
    await clock.whenSleeping(1);
    clock.advance(150);
    const ordersDone = orders.acquire(account, 6, 'orders').then((grant) => (order.push('orders'), grant));
    await clock.runAll([catalogDone, ordersDone]);
    // Both wanted 6 of 10: the order came later but went first; catalog took the window after.
    expect(order).toEqual(['orders', 'catalog']);
    expect((await catalogDone).windowStartedAt).toBeGreaterThan((await ordersDone).windowStartedAt);
  });

  it('blocks the account until the reset after a 429', async () => {
    const clock = new ManualClock();
    const [budget] = budgets(1, { creditsPerWindow: 100, windowMs: MINUTE, marginMs: 50, resetPrecisionMs: 50, maxSleepMs: 200, clock });
    const o = budget.options;
    await budget.acquire(account, 1, 'orders');
    expect(await budget.observeWithResult(account, { limited: true, resetInMs: 600 })).toBe('blocked');
    const grant = await clock.run(budget.acquire(account, 1, 'orders'));
    // Until JOOR's reset (plus its precision), and at the first re-check after it.
    expect(grant.waitedMs).toBeGreaterThanOrEqual(600 + o.resetPrecisionMs);
    expect(grant.waitedMs).toBeLessThan(600 + o.resetPrecisionMs + o.maxSleepMs);
  });

  it('takes JOOR at its word when it counts more than we granted, and realigns to its reset', async () => {
    const clock = new ManualClock();
    const [budget] = budgets(1, { creditsPerWindow: 20, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, resetPrecisionMs: 50, reserve: noReserve, maxSleepMs: 200, clock });
    const o = budget.options;
    await budget.acquire(account, 1, 'orders');
    expect(await budget.observeWithResult(account, { remaining: 19, resetInMs: o.windowMs - 50 })).toBe('aligned');
    expect((await budget.snapshot(account)).used).toBe(1);
    // Someone else spent 15 and JOOR's window ends in 700 ms, not in about a minute.
    expect(await budget.observeWithResult(account, { remaining: 4, resetInMs: 700 })).toBe('realigned');
    const snapshot = await budget.snapshot(account);
    expect(snapshot.used).toBe(16);
    expect(snapshot.resumeInMs).toBe(700 + o.resetPrecisionMs);
    const grant = await clock.run(budget.acquire(account, 5, 'orders'));
    // Not in this window (4 left): at JOOR's reset, not at our own guess of the window end.
    expect(grant.waitedMs).toBeGreaterThanOrEqual(700 + o.resetPrecisionMs);
    expect(grant.waitedMs).toBeLessThan(700 + o.resetPrecisionMs + o.maxSleepMs);
  });

  it('ignores a late answer about the previous window and adopts a window it did not open', async () => {
    const clock = new ManualClock();
    const [budget] = budgets(1, { creditsPerWindow: 20, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, resetPrecisionMs: 50, maxSleepMs: 200, clock });
    const o = budget.options;
    expect(await budget.observeWithResult(account, { remaining: 0, resetInMs: 600 })).toBe('adopted');
    const grant = await clock.run(budget.acquire(account, 1, 'orders'));
    // JOOR's window (all spent) ends in 600 ms: the grant opens the next one, just after it.
    expect(grant.waitedMs).toBeGreaterThanOrEqual(600 + o.resetPrecisionMs);
    expect(grant.waitedMs).toBeLessThan(600 + o.resetPrecisionMs + o.maxSleepMs);
    expect(await budget.observeWithResult(account, { remaining: 0, resetInMs: 20 })).toBe('ignored');
    expect((await budget.snapshot(account)).used).toBe(1);
  });

  it('moves on to the next JOOR window when a late request opened it before ours ended', async () => {
    const clock = new ManualClock();
    const [budget] = budgets(1, { creditsPerWindow: 20, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, resetPrecisionMs: 50, reserve: noReserve, maxSleepMs: 100, clock });
    const o = budget.options;
    await budget.acquire(account, 20, 'catalog');
    clock.advance(o.windowMs);
    // Our window has 50 ms to go; JOOR already counts 5 credits in a new one that ends in just under a window.
    expect(await budget.observeWithResult(account, { remaining: 15, resetInMs: o.windowMs - 10 })).toBe('adopted');
    const snapshot = await budget.snapshot(account);
    expect(snapshot.used).toBe(5);
    expect(snapshot.resumeInMs).toBe(o.windowMs - 10 + o.resetPrecisionMs);
    // The 15 credits left in JOOR's window are ours at once, not after a skipped window.
    const grant = await clock.run(budget.acquire(account, 15, 'catalog'));
    expect(grant.waitedMs).toBe(0);
    await expect(budget.snapshot(account)).resolves.toMatchObject({ used: 20 });
  });

  it('lets an aborted waiter go and forgets its place', async () => {
    const clock = new ManualClock();
    const [budget] = budgets(1, { creditsPerWindow: 10, safetyCredits: 0, windowMs: MINUTE, marginMs: 50, reserve: noReserve, maxSleepMs: 500, clock });
    await budget.acquire(account, 10, 'catalog');
    const controller = new AbortController();
    const waiting = budget.acquire(account, 1, 'orders', controller.signal);
    await clock.whenSleeping(1);
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
