import type { RecordMutation } from '@app/sandbox-kit';
import { successDescription } from '@app/mapping';
import type { INestApplication } from '@nestjs/common';
import { FAULT_KINDS as EVERY_FAULT_KIND, type FaultKind } from '@app/sandbox-kit';
import { SandboxKitClient } from '@app/testing';
import { startOrderIngestApp } from '@app/testing/orders-apps';
import { OrdersWorld, type RunRow } from '@app/testing/orders-world';

const FAULT_KINDS: FaultKind[] = [...EVERY_FAULT_KIND];

/**
 * 20% of every call to either sandbox fails (429, 5xx, dropped connections, slow or cut-off
 * answers, including creates that reached AMC and lost their answer): polls repeat until JOOR
 * shows every good order exported, and every good order is in AMC exactly once.
 */
describe('order ingest under 20% injected faults on both sandboxes (e2e)', () => {
  let world: OrdersWorld;
  let ingest: INestApplication;
  let amcKit: SandboxKitClient;
  let joorKit: SandboxKitClient;

  beforeAll(async () => {
    world = await OrdersWorld.start('faults', { styles: 12, seed: 23, orders: 40 });
    ingest = await startOrderIngestApp({ databaseUrl: world.db.url, queuePrefix: world.queuePrefix }, { ORDER_INGEST_TRANSIENT_DELAY_MS: '200' });
    amcKit = new SandboxKitClient(world.amc.url);
    joorKit = new SandboxKitClient(world.joor.url);
  });

  afterAll(async () => {
    await amcKit?.clearFaults().catch(() => undefined);
    await joorKit?.clearFaults().catch(() => undefined);
    await ingest?.close();
    await world?.close();
  });

  it('every good order ends in AMC exactly once, and JOOR shows Success on each', async () => {
    const timings = { timeoutMs: 1_500, slowMs: 200, retryAfterSeconds: 1 };
    await amcKit.setFaults({
      seed: 5,
      ...timings,
      rules: [
        // Sure cases first: creates whose answer is lost after AMC wrote them, and creates that fail before it does.
        { path: '^/api/json/orders$', method: 'POST', kinds: ['malformed'], rate: 1, times: 2 },
        { path: '^/api/json/orders$', method: 'POST', kinds: ['500', 'timeout'], rate: 1, times: 2 },
        { path: '/', kinds: FAULT_KINDS, rate: 0.2 },
      ],
    });
    await joorKit.setFaults({ seed: 6, ...timings, rules: [{ path: '/', kinds: FAULT_KINDS, rate: 0.2 }] });

    const expected = world.expectedInAmc();
    const connectionId = await world.createConnection('Faulty brand');
    const runs: RunRow[] = [];
    for (let i = 0; i < 8; i++) {
      runs.push(await world.poll(connectionId, 90_000));
      // A poll may end partial (orders left for later) or even failed (the feed unreadable after every retry), never with a duplicate.
      const joorOrders = await world.joorOrders();
      if (expected.every((o) => joorOrders.get(o.order_id)?.export_status === 'Success')) break;
    }
    const amcFaults = await amcKit.faults();
    const joorFaults = await joorKit.faults();
    expect(amcFaults.rules.map((r) => r.injected)).toEqual([2, 2, expect.any(Number)]);
    expect(amcFaults.rules[2].injected).toBeGreaterThan(0);
    expect(joorFaults.rules[0].injected).toBeGreaterThan(0);

    const counts = await world.amcCountByJoorId();
    expect([...counts.keys()].sort()).toEqual(expected.map((o) => o.order_id).sort());
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const joorOrders = await world.joorOrders();
    for (const order of expected) expect(joorOrders.get(order.order_id)?.export_status).toBe('Success');
    // A transient failure never marks a good order Failed, not even for a while.
    const failedGood = await world.sql(`SELECT DISTINCT entity_key FROM sync_event WHERE connection_id = $1 AND level = 'error' AND entity_key = ANY($2)`, [
      connectionId,
      expected.map((o) => o.order_id),
    ]);
    expect(failedGood).toEqual([]);
    // The lost answers were resolved by looking AMC up by JOOR id.
    expect(await world.sql(`SELECT 1 FROM sync_event WHERE connection_id = $1 AND reason LIKE '%was already in AMC%'`, [connectionId])).not.toHaveLength(0);

    // The seeded problem orders fail at every poll, so no poll can end succeeded.
    expect(runs.filter((r) => r.status === 'succeeded')).toEqual([]);
    await amcKit.clearFaults();
    await joorKit.clearFaults();
    const calm = await world.poll(connectionId);
    expect(calm).toMatchObject({ count_created: 0 });
    expect(await world.amcOrders()).toHaveLength(expected.length);
  });

  it('polls of one connection never overlap: two manual polls and a scheduled one at once create each order once', async () => {
    await world.reseed();
    const connectionId = await world.createConnection('Busy brand');
    const runIds = await Promise.all([world.enqueuePoll(connectionId, 'manual'), world.enqueuePoll(connectionId, 'manual'), world.enqueuePoll(connectionId, 'schedule')]);
    const ended = await Promise.all(runIds.map((id) => world.runEnded(id)));
    const expected = world.expectedInAmc();
    // Exactly one of them did the work; the others found it done (after waiting for the lock) or, scheduled, left it to the running one.
    expect(ended.map((r) => r.count_created).sort((a, b) => a - b)).toEqual([0, 0, expected.length]);
    // The scheduled poll was skipped at once (another poll going: nothing counted) or ran whole (before or after the others).
    const scheduled = ended[2];
    const skipped = { status: 'succeeded', count_created: 0, count_unchanged: 0, count_failed: 0, details: expect.objectContaining({ skipped: expect.stringMatching(/another orders sync/) }) };
    const ranWhole = { status: 'partial', count_failed: world.expectedFailed().length };
    expect(scheduled).toMatchObject(scheduled.details.skipped ? skipped : ranWhole);
    const counts = await world.amcCountByJoorId();
    expect(counts.size).toBe(expected.length);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('a create that reached AMC and came back 502, 503 or 504 is looked up, never sent again', async () => {
    await world.reseed();
    const connectionId = await world.createConnection('Ambiguous brand');
    const expected = world.expectedInAmc();
    // AMC writes each of the first three orders, then the answer is lost behind a gateway error.
    await amcKit.setFaults({ seed: 9, rules: [{ path: '^/api/json/orders$', method: 'POST', kinds: ['502', '503', '504'], rate: 1, times: 3, phase: 'after' }] });
    const since = (await amcKit.calls({ limit: 1 })).lastSeq;
    let run: RunRow;
    try {
      run = await world.poll(connectionId);
    } finally {
      await amcKit.clearFaults();
    }
    const posts = (await amcKit.calls({ since, limit: 10_000 })).calls.filter((c) => c.method === 'POST' && /\/orders$/.test(c.path));
    // One POST per order: the three ambiguous ones were found in AMC by their JOOR id instead of being resent.
    expect(posts).toHaveLength(expected.length);
    expect(posts.filter((c) => c.fault !== null)).toHaveLength(3);
    const counts = await world.amcCountByJoorId();
    expect([...counts.keys()].sort()).toEqual(expected.map((o) => o.order_id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(run.count_created + run.count_unchanged).toBe(expected.length);
    const adopted = await world.sql(`SELECT entity_key FROM sync_event WHERE run_id = $1 AND reason LIKE '%was already in AMC%'`, [run.id]);
    expect(adopted).toHaveLength(3);
    const joorOrders = await world.joorOrders();
    for (const order of expected) expect(joorOrders.get(order.order_id)?.export_status).toBe('Success');
  });

  // The mutations that reach the order's id or make the answer unreadable (every one passes; these keep the file short).
  it.each(['missing-id', 'huge-number', 'number-as-word', 'nan', 'record-as-string', 'empty-record'] satisfies RecordMutation[])(
    "names on JOOR the AMC order AMC holds, even when AMC's answer to the create is made wrong (%s; found by the chaos run)",
    async (mutation) => {
      await world.reseed();
      const connectionId = await world.createConnection(`Mangled answer brand ${mutation}`);
      const expected = world.expectedInAmc();
      // AMC writes the order, then the id in its answer is made wrong (a well-formed, huge number).
      await amcKit.setFaults({ seed: 4, rules: [{ path: '^/api/json/orders$', method: 'POST', kinds: ['mangle'], mutations: [mutation], rate: 1, times: 2, phase: 'after' }] });
      try {
        await world.poll(connectionId);
      } finally {
        await amcKit.clearFaults();
      }
      const held = new Map((await world.amcOrders()).map((o) => [o.joor_id, String(o.order_id)]));
      const joorOrders = await world.joorOrders();
      for (const order of expected) {
        expect(held.has(order.order_id)).toBe(true);
        expect(joorOrders.get(order.order_id)).toMatchObject({ export_status: 'Success', export_description: successDescription(held.get(order.order_id)!) });
      }
      const ledger = await world.sql(`SELECT joor_order_id, amc_order_id FROM order_ledger WHERE connection_id = $1 AND state = 'created'`, [connectionId]);
      for (const row of ledger as Array<{ joor_order_id: string; amc_order_id: string }>) expect(row.amc_order_id).toBe(held.get(row.joor_order_id));
    },
  );
});
