import { ServiceProcess, builtTestMain, freePort, testProcessEnv, testQueuePrefix, waitFor } from '@app/testing';
import { OrdersWorld } from '@app/testing/orders-world';
import { INGEST_POINTS } from '../src/orders/ingest-hooks';

/**
 * The order-ingest PROCESS (from the build) killed with SIGKILL at each step of an order's way into
 * AMC, then started again: every good order ends in AMC exactly once and shows Success on JOOR.
 * The test's own main (halting-order-ingest.main.ts, with ORDER_INGEST_HALT_AT) makes the process
 * stop at the step (holding its locks and connections as they are) so the kill lands exactly there.
 */
describe('order-ingest killed with SIGKILL mid-order (process)', () => {
  let world: OrdersWorld;
  const running: ServiceProcess[] = [];

  const start = async (queuePrefix: string, extra: Record<string, string> = {}): Promise<ServiceProcess> => {
    const port = await freePort();
    const env = testProcessEnv('order-ingest', { databaseUrl: world.db.url, queuePrefix, port, extra: { LOG_LEVEL: 'warn', ...extra } });
    const entry = extra.ORDER_INGEST_HALT_AT ? builtTestMain('apps/order-ingest/test/halting-order-ingest.main.js') : undefined;
    const proc = ServiceProcess.start('order-ingest', env, port, entry);
    running.push(proc);
    await proc.ready();
    return proc;
  };

  beforeAll(async () => {
    world = await OrdersWorld.start('kill', { styles: 8, seed: 11, orders: 16 });
  });

  afterAll(async () => {
    for (const proc of running) await proc.stop('SIGKILL');
    await world?.close();
  });

  it.each(INGEST_POINTS)('killed at %s, restarted: exactly one AMC order per JOOR order, Success on JOOR', async (point) => {
    await world.reseed();
    const connectionId = await world.createConnection(`Killed at ${point}`);
    // A queue of this generation's own: the killed poll's stalled job must not wander into the next case.
    const queuePrefix = testQueuePrefix(`kill-${point}`);
    const doomed = await start(queuePrefix, { ORDER_INGEST_HALT_AT: point });
    await world.enqueuePoll(connectionId, 'manual', queuePrefix);
    const line = await waitFor('the process to halt', () => doomed.output.find((l) => l.startsWith(`ORDER_INGEST_HALTED at ${point}`)), 30_000, 50);
    const haltedOrder = /order (\d+)/.exec(line)![1];
    const exit = await doomed.stop('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');

    const atKill = (await world.amcCountByJoorId()).get(haltedOrder) ?? 0;
    expect(atKill).toBe(point === 'before-amc-create' ? 0 : 1);
    const joorAtKill = (await world.joorOrders()).get(haltedOrder)!;
    expect(joorAtKill.export_status).toBe(point === 'after-joor-export' ? 'Success' : null);

    const restarted = await start(queuePrefix);
    const run = await world.poll(connectionId, 60_000, queuePrefix);
    expect(run.status).toBe('partial'); // the seeded problem orders fail, as they should

    const expected = world.expectedInAmc();
    const counts = await world.amcCountByJoorId();
    expect([...counts.keys()].sort()).toEqual(expected.map((o) => o.order_id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const amcIdByJoorId = new Map((await world.amcOrders()).map((o) => [o.joor_id, o.order_id]));
    const joorOrders = await world.joorOrders();
    for (const order of expected) {
      expect(joorOrders.get(order.order_id)).toMatchObject({ export_status: 'Success', export_description: expect.stringContaining(`sales order ${amcIdByJoorId.get(order.order_id)}`) });
    }
    for (const order of world.expectedFailed()) expect(joorOrders.get(order.order_id)?.export_status).toBe('Failed');
    const ledger = await world.sql<{ joor_order_id: string; amc_order_id: string; exported_at: Date | null }>(
      `SELECT joor_order_id, amc_order_id, exported_at FROM order_ledger WHERE connection_id = $1 AND state = 'created'`,
      [connectionId],
    );
    expect(ledger).toHaveLength(expected.length);
    for (const row of ledger) {
      expect(row.amc_order_id).toBe(amcIdByJoorId.get(row.joor_order_id));
      expect(row.exported_at).not.toBeNull();
    }
    if (point === 'after-amc-create') {
      // The order the kill left in AMC unrecorded was found by its JOOR id and adopted, not created again.
      const adopted = await world.sql(`SELECT 1 FROM sync_event WHERE connection_id = $1 AND entity_key = $2 AND reason LIKE '%was already in AMC%'`, [connectionId, haltedOrder]);
      expect(adopted).toHaveLength(1);
    }
    await restarted.stop();
  });
});
