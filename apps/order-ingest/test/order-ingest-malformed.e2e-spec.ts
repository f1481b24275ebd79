import type { INestApplication } from '@nestjs/common';
import { RECORD_MUTATIONS, type RecordMutation } from '@app/sandbox-kit';
import { SandboxKitClient } from '@app/testing';
import { startOrderIngestApp } from '@app/testing/orders-apps';
import { OrdersWorld } from '@app/testing/orders-world';

/** Which order of JOOR's feed page is made wrong. */
const RECORD = 2;

/**
 * The chaos issue's malformed records, against order ingest: JOOR's v2 feed answers once with one
 * order record made wrong (each of the sandbox kit's mutations in turn). The poll completes; no
 * good order is duplicated in AMC or marked Failed on JOOR because its record came garbled once;
 * the next poll brings every good order in exactly once with Success on JOOR.
 */
describe('order ingest when JOOR sends one malformed order record (each mutation in turn)', () => {
  jest.setTimeout(600_000);
  let world: OrdersWorld;
  let ingest: INestApplication;
  let joorKit: SandboxKitClient;

  beforeAll(async () => {
    world = await OrdersWorld.start('malformed', { styles: 8, seed: 31, orders: 12 });
    ingest = await startOrderIngestApp({ databaseUrl: world.db.url, queuePrefix: world.queuePrefix }, { ORDER_INGEST_TRANSIENT_DELAY_MS: '100' });
    joorKit = new SandboxKitClient(world.joor.url);
  });

  afterAll(async () => {
    await joorKit?.clearFaults().catch(() => undefined);
    await ingest?.close();
    await world?.close();
  });

  it.each(RECORD_MUTATIONS.map((m) => [m] as [RecordMutation]))('%s: the poll completes, no good order is doubled or wrongly Failed, the next poll brings them all', async (mutation) => {
    await world.reseed();
    const connectionId = await world.createConnection(`malformed ${mutation}`);
    const expected = world.expectedInAmc();
    await joorKit.setFaults({ seed: 1, rules: [{ path: '^/v2/order/?$', method: 'GET', kinds: ['mangle'], rate: 1, times: 1, phase: 'after', mutations: [mutation], record: RECORD }] });
    let first;
    try {
      first = await world.poll(connectionId, 120_000);
      expect((await joorKit.faults()).rules[0].injected).toBe(1);
    } finally {
      await joorKit.clearFaults();
    }
    expect(['succeeded', 'partial']).toContain(first.status);
    const wronglyFailed = [...(await world.joorOrders())]
      .filter(([id, o]) => o.export_status === 'Failed' && expected.some((e) => e.order_id === id))
      .map(([id, o]) => `${id}: ${o.export_description}`);
    expect(wronglyFailed).toEqual([]);

    await world.poll(connectionId, 120_000);
    const counts = await world.amcCountByJoorId();
    expect([...counts.keys()].sort()).toEqual(expected.map((o) => o.order_id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const joorOrders = await world.joorOrders();
    expect(expected.filter((o) => joorOrders.get(o.order_id)?.export_status !== 'Success').map((o) => o.order_id)).toEqual([]);
  });
});
