import type { INestApplication } from '@nestjs/common';
import { SandboxKitClient } from '@app/testing';
import { joorSandboxIds } from '@app/testing/joor-sandbox-harness';
import { startOrderIngestApp } from '@app/testing/orders-apps';
import { OrdersWorld } from '@app/testing/orders-world';

/**
 * The order flow against a JOOR that answers as the public record shows JOOR can: order ids as
 * opaque strings (the same in the v2 feed and in v4), and the v2 feed in its XML-born wrapped form
 * (`{orders: {order: [...]}}`, one order unwrapped, numbers as text, `line_items: {line_item: ...}`).
 */
describe('order ingest against a JOOR with opaque ids and wrapped v2 answers (e2e)', () => {
  let world: OrdersWorld;
  let ingest: INestApplication;
  let connectionId: string;
  const opaque = (orderId: string) => joorSandboxIds.opaque('Order', orderId);

  beforeAll(async () => {
    world = await OrdersWorld.start('dialect', { styles: 12, seed: 7, orders: 40, joorEnv: { JOOR_SANDBOX_ID_STYLE: 'opaque', JOOR_SANDBOX_V2_ENVELOPE: 'wrapped' } });
    ingest = await startOrderIngestApp({ databaseUrl: world.db.url, queuePrefix: world.queuePrefix }, { ORDER_INGEST_TRANSIENT_DELAY_MS: '200' });
    connectionId = await world.createConnection('Opaque brand');
  });

  afterAll(async () => {
    await ingest?.close();
    await world?.close();
  });

  it('brings exactly the right orders into AMC under their opaque JOOR ids and writes Success or Failed back', async () => {
    const expected = world.expectedInAmc();
    const failing = world.expectedFailed();
    const run = await world.poll(connectionId);
    expect(run).toMatchObject({ status: 'partial', count_created: expected.length, count_failed: failing.length, error: null });

    const amcOrders = await world.amcOrders();
    expect(amcOrders.map((o) => o.joor_id).sort()).toEqual(expected.map((o) => opaque(o.order_id)).sort());
    for (const id of amcOrders.map((o) => o.joor_id)) expect(id).not.toMatch(/^\d+$/);
    const skuByUpc = new Map(world.brand.amc.skus.map((s) => [s.upc_display, s]));
    for (const joorOrder of expected) {
      const amcOrder = amcOrders.find((o) => o.joor_id === opaque(joorOrder.order_id))!;
      const lines = joorOrder.line_items.filter((l) => l.item_quantity > 0);
      expect(amcOrder.order_items.map((i) => [i.sku_id, Number(i.qty), i.unit_price])).toEqual(lines.map((l) => [skuByUpc.get(l.item_upc)!.sku_id, l.item_quantity, l.item_price]));
    }
    const joorOrders = await world.joorOrders();
    for (const order of expected) expect(joorOrders.get(order.order_id)).toMatchObject({ export_status: 'Success' });
    for (const order of failing) expect(joorOrders.get(order.order_id)).toMatchObject({ export_status: 'Failed' });
    const ledger = await world.sql<{ joor_order_id: string }>(`SELECT joor_order_id FROM order_ledger WHERE connection_id = $1 AND state = 'created'`, [connectionId]);
    expect(ledger.map((r) => r.joor_order_id).sort()).toEqual(expected.map((o) => opaque(o.order_id)).sort());
  });

  it('a second poll changes nothing; an order changed after its export is recognised by its opaque id', async () => {
    const kit = new SandboxKitClient(world.joor.url);
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const quiet = await world.poll(connectionId);
    expect(quiet).toMatchObject({ count_created: 0, count_failed: world.expectedFailed().length });
    expect((await kit.calls({ since })).calls.filter((c) => c.method !== 'GET')).toEqual([]);

    // Modified after export: back in the feed, matched to the ledger by its opaque id, no second AMC order.
    const order = world.expectedInAmc()[0];
    await world.joor.control('POST', `orders/${order.order_id}/modify`, { customer_purchase_order: 'PO-CHANGED' });
    const again = await world.poll(connectionId);
    expect(again.count_created).toBe(0);
    expect((await world.amcCountByJoorId()).get(opaque(order.order_id))).toBe(1);
    const warnings = await world.sql(`SELECT 1 FROM sync_event WHERE run_id = $1 AND level = 'warning' AND entity_key = $2`, [again.id, opaque(order.order_id)]);
    expect(warnings).toHaveLength(1);
  });
});
