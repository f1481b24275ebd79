import type { INestApplication } from '@nestjs/common';
import Decimal from 'decimal.js';
import request from 'supertest';
import { parsePrometheusText, samplesOf, SandboxKitClient, TEST_API_KEY, waitFor } from '@app/testing';
import { startOrderIngestApp, startOrdersGateway } from '@app/testing/orders-apps';
import { ConnectionClients } from '@app/sync-core';
import { OrdersWorld, type RunRow } from '@app/testing/orders-world';

/**
 * JOOR orders into AMC through the real services: order-ingest and the gateway in this process,
 * both sandboxes over HTTP, real PostgreSQL and Redis.
 */
describe('order ingest (e2e)', () => {
  let world: OrdersWorld;
  let ingest: INestApplication;
  let gateway: { app: INestApplication; url: string };
  let connectionId: string;
  const api = () => request(gateway.url);
  const authed = (r: request.Test) => r.set('x-api-key', TEST_API_KEY);

  /** Triggers a poll through the gateway and waits for its run to end. */
  const pollNow = async (): Promise<RunRow> => {
    const res = await authed(api().post(`/connections/${connectionId}/sync/orders`).send({})).expect(202);
    return world.runEnded(res.body.runId);
  };

  beforeAll(async () => {
    // 40 orders of a 12-style brand: every status, every problem case (the generator guarantees the first seven).
    world = await OrdersWorld.start('main', { styles: 12, seed: 7, orders: 40 });
    const env = { databaseUrl: world.db.url, queuePrefix: world.queuePrefix };
    ingest = await startOrderIngestApp(env, { ORDER_INGEST_TRANSIENT_DELAY_MS: '200' });
    // A scheduled "minute" of 0.4 s: the schedule test sets orderPollMinutes 5 (the least allowed) and watches it fire by itself.
    gateway = await startOrdersGateway(env, 400);
    connectionId = await world.createConnection('Orders brand');
  });

  afterAll(async () => {
    await gateway?.app.close();
    await ingest?.close();
    await world?.close();
  });

  it('brings exactly the right orders into AMC, with their lines and totals, and writes Success or Failed back to JOOR', async () => {
    const expected = world.expectedInAmc();
    const failing = world.expectedFailed();
    expect(expected.length).toBeGreaterThan(5);
    expect(failing.map((o) => o.seed_case).sort()).toEqual(expect.arrayContaining(['unknown-customer', 'unknown-sku']));
    expect(world.brand.joor.orders.some((o) => o.seed_case === 'before-start-date')).toBe(true);
    expect(new Set(world.brand.joor.orders.map((o) => o.status))).toEqual(new Set(['Approved', 'Shipped', 'Pending', 'Cancelled']));

    const run = await pollNow();
    expect(run).toMatchObject({ status: 'partial', count_created: expected.length, count_failed: failing.length, error: null });
    expect(run.credits_spent).toBeGreaterThan(0);
    expect(run.progress_done).toBe(run.progress_total);

    const amcOrders = await world.amcOrders();
    expect(amcOrders.map((o) => o.joor_id).sort()).toEqual(expected.map((o) => o.order_id).sort());
    const customers = new Map(world.brand.amc.customers.map((c) => [c.joor_customer_code, c]));
    const currencyIds = new Map(world.brand.amc.currencies.map((c) => [c.name, c.id]));
    const skuByUpc = new Map(world.brand.amc.skus.map((s) => [s.upc_display, s]));
    for (const joorOrder of expected) {
      const amcOrder = amcOrders.find((o) => o.joor_id === joorOrder.order_id)!;
      expect(amcOrder).toMatchObject({
        customer_id: customers.get(joorOrder.customer_code)!.customer_id,
        customer_po: joorOrder.customer_purchase_order,
        currency_id: currencyIds.get(joorOrder.order_currency),
        warehouse_id: world.brand.amc.settings.amcWarehouseId,
        date_start: mdy(joorOrder.date_ship_start),
        date_due: mdy(joorOrder.date_ship_end),
      });
      const lines = joorOrder.line_items.filter((l) => l.item_quantity > 0);
      expect(amcOrder.order_items.map((i) => [i.sku_id, Number(i.qty), i.unit_price])).toEqual(lines.map((l) => [skuByUpc.get(l.item_upc)!.sku_id, l.item_quantity, l.item_price]));
      const total = amcOrder.order_items.reduce((sum, i) => sum.plus(i.amount), new Decimal(0));
      expect(total.toFixed(2)).toBe(joorOrder.order_total);
    }

    const joorOrders = await world.joorOrders();
    for (const order of expected) {
      const amcId = amcOrders.find((o) => o.joor_id === order.order_id)!.order_id;
      expect(joorOrders.get(order.order_id)).toMatchObject({ export_status: 'Success', export_description: expect.stringContaining(`sales order ${amcId}`) });
    }
    for (const order of failing) {
      const reason = order.seed_case === 'unknown-customer' ? `unknown customer: no AMC customer carries JOOR customer code "${order.customer_code}"` : 'unknown SKU: UPC 84099';
      expect(joorOrders.get(order.order_id)).toMatchObject({ export_status: 'Failed', export_description: expect.stringContaining(reason) });
    }
    // Pending, Cancelled and too-old orders are left alone.
    const untouched = world.brand.joor.orders.filter((o) => !expected.includes(o) && !failing.includes(o));
    expect(untouched.length).toBeGreaterThan(0);
    for (const order of untouched) expect(joorOrders.get(order.order_id)?.export_status ?? null).toBeNull();

    const events = await world.sql<{ level: string; entity_key: string; reason: string }>(`SELECT level, entity_key, reason FROM sync_event WHERE run_id = $1 AND level = 'error'`, [run.id]);
    expect(events.map((e) => e.entity_key).sort()).toEqual(failing.map((o) => o.order_id).sort());
  });

  it("counts the poll's run and JOOR credits on order-ingest's /metrics, per connection, and its poll lag from the run's end", async () => {
    const runs = await world.sql<{ status: string; credits_spent: number; finished_at: Date }>(
      `SELECT status, credits_spent, finished_at FROM sync_run WHERE connection_id = $1 AND kind = 'orders' AND finished_at IS NOT NULL ORDER BY finished_at`,
      [connectionId],
    );
    expect(runs.length).toBeGreaterThan(0);
    const lastPoll = runs.filter((r) => r.status === 'succeeded' || r.status === 'partial').at(-1)!;
    const lagAt = async () => Number((await world.sql<{ s: string }>(`SELECT EXTRACT(EPOCH FROM now() - $1::timestamptz) AS s`, [lastPoll.finished_at]))[0].s);
    const before = await lagAt();
    const samples = parsePrometheusText((await request(ingest.getHttpServer()).get('/metrics').expect(200)).text);
    const after = await lagAt();

    const byStatus = new Map<string, number>();
    for (const run of runs) byStatus.set(run.status, (byStatus.get(run.status) ?? 0) + 1);
    const counted = samplesOf(samples, 'amcjoor_runs_total', { kind: 'orders', connection_id: connectionId, service: 'order-ingest' });
    expect(new Map(counted.map((s) => [s.labels.status, s.value]))).toEqual(byStatus);
    expect(byStatus.get('partial')).toBeGreaterThan(0);

    const credits = samplesOf(samples, 'amcjoor_joor_credits_total', { kind: 'orders', connection_id: connectionId });
    expect(credits.map((s) => s.value)).toEqual([runs.reduce((sum, r) => sum + r.credits_spent, 0)]);
    expect(credits[0].value).toBeGreaterThan(0);

    // The shared budget of the connection's JOOR account, and the lag measured from the last poll's end.
    const [used] = samplesOf(samples, 'amcjoor_joor_budget_used_credits', { connection_id: connectionId });
    const [cap] = samplesOf(samples, 'amcjoor_joor_budget_cap_credits', { connection_id: connectionId });
    expect(cap.value).toBe(ingest.get(ConnectionClients).budget.options.cap);
    expect(used.value).toBeGreaterThanOrEqual(0);
    const [lag] = samplesOf(samples, 'amcjoor_order_poll_lag_seconds', { connection_id: connectionId });
    expect(lag.value).toBeGreaterThanOrEqual(before);
    expect(lag.value).toBeLessThanOrEqual(after);
    // No label carries the connection's name (a brand) or anything but its id.
    expect(samples.filter((s) => Object.values(s.labels).some((v) => v.includes('Orders brand')))).toEqual([]);
  });

  it('shows the ledger through the gateway, filtered by state and paged', async () => {
    const all = await authed(api().get(`/connections/${connectionId}/orders`).query({ limit: 200 })).expect(200);
    expect(all.body.total).toBe(world.expectedInAmc().length + world.expectedFailed().length);
    const failed = await authed(api().get(`/connections/${connectionId}/orders`).query({ state: 'failed' })).expect(200);
    expect(failed.body.items.map((i: { joorOrderId: string }) => i.joorOrderId).sort()).toEqual(
      world
        .expectedFailed()
        .map((o) => o.order_id)
        .sort(),
    );
    for (const item of failed.body.items) expect(item).toMatchObject({ state: 'failed', amcOrderId: null, attempts: 1, lastError: expect.stringMatching(/unknown (customer|SKU)/) });
    const created = await authed(api().get(`/connections/${connectionId}/orders`).query({ state: 'created', limit: 2, offset: 1 })).expect(200);
    expect(created.body.items).toHaveLength(2);
    expect(created.body.total).toBe(world.expectedInAmc().length);
    expect(created.body.items[0]).toMatchObject({ state: 'created', amcOrderId: expect.stringMatching(/^\d+$/), lastError: null });
    await authed(api().get(`/connections/${connectionId}/orders`).query({ state: 'lost' })).expect(400);
    await authed(api().get(`/connections/00000000-0000-4000-8000-000000000000/orders`)).expect(404);
  });

  it('a second poll changes nothing: no AMC order, no JOOR write', async () => {
    const before = await world.amcOrders();
    const kit = new SandboxKitClient(world.joor.url);
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await pollNow();
    expect(run).toMatchObject({ count_created: 0, count_unchanged: 0, count_failed: world.expectedFailed().length });
    // Exported orders are no longer in the feed asked for; the failed ones are, and are tried again without a new Failed write.
    expect(await world.amcOrders()).toHaveLength(before.length);
    const calls = (await kit.calls({ since })).calls;
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(calls.every((c) => c.path === '/v2/order/' || c.path === '/v2/order')).toBe(true);
  });

  it('an order changed on JOOR after its export makes a warning, never a second AMC order', async () => {
    const order = world.expectedInAmc()[0];
    await world.joor.control('POST', `orders/${order.order_id}/modify`, { customer_purchase_order: 'PO-CHANGED' });
    const run = await pollNow();
    expect(run.count_created).toBe(0);
    expect((await world.amcCountByJoorId()).get(order.order_id)).toBe(1);
    const warnings = await world.sql<{ reason: string }>(`SELECT reason FROM sync_event WHERE run_id = $1 AND level = 'warning' AND entity_key = $2`, [run.id, order.order_id]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].reason).toContain('changed on JOOR after it was exported');
    // Seen once, warned once.
    const again = await pollNow();
    expect(await world.sql(`SELECT 1 FROM sync_event WHERE run_id = $1 AND level = 'warning'`, [again.id])).toHaveLength(0);
  });

  it('once the customer gets its JOOR code in AMC, the next poll creates the failed order', async () => {
    const order = world.expectedFailed().find((o) => o.seed_case === 'unknown-customer')!;
    const spare = world.brand.amc.customers.find((c) => c.joor_customer_code === '')!;
    const patch = await fetch(`${world.amc.url}/_sandbox/records/customers/${spare.customer_id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ joor_customer_code: order.customer_code }),
    });
    expect(patch.status).toBe(200);
    const run = await pollNow();
    expect(run.count_created).toBe(1);
    const inAmc = (await world.amcOrders()).filter((o) => o.joor_id === order.order_id);
    expect(inAmc).toHaveLength(1);
    expect(inAmc[0].customer_id).toBe(spare.customer_id);
    expect((await world.joorOrders()).get(order.order_id)).toMatchObject({ export_status: 'Success', export_description: expect.stringContaining(`sales order ${inAmc[0].order_id}`) });
    const entry = await authed(api().get(`/connections/${connectionId}/orders/${order.order_id}`)).expect(200);
    // Tried at every poll since the first, never marked Failed twice for the same reason.
    expect(entry.body).toMatchObject({ state: 'created', amcOrderId: inAmc[0].order_id, attempts: 5, lastError: null });
  });

  it('retries one order on demand; refuses an order already in AMC or unknown', async () => {
    const stuck = world.expectedFailed().find((o) => o.seed_case === 'unknown-sku')!;
    const before = await authed(api().get(`/connections/${connectionId}/orders/${stuck.order_id}`)).expect(200);
    const accepted = await authed(api().post(`/connections/${connectionId}/orders/${stuck.order_id}/retry`)).expect(202);
    const run = await world.runEnded(accepted.body.runId);
    expect(run).toMatchObject({ status: 'partial', count_failed: 1, count_created: 0, count_unchanged: 0, trigger: 'manual' });
    expect(run.details).toMatchObject({ joorOrderId: stuck.order_id, ordersRead: 1 });
    const entry = await authed(api().get(`/connections/${connectionId}/orders/${stuck.order_id}`)).expect(200);
    expect(entry.body).toMatchObject({ state: 'failed', attempts: before.body.attempts + 1, lastError: expect.stringContaining('unknown SKU') });

    const done = world.expectedInAmc()[1];
    const conflict = await authed(api().post(`/connections/${connectionId}/orders/${done.order_id}/retry`)).expect(409);
    expect(conflict.body.message).toContain('already in AMC');
    await authed(api().post(`/connections/${connectionId}/orders/999999999/retry`)).expect(404);
  });

  it('an order dated before the start date is remembered as ignored, once, and never brought into AMC', async () => {
    const old = world.brand.joor.orders.find((o) => o.seed_case === 'before-start-date')!;
    expect(old).toBeDefined();
    // Approved and modified now, so JOOR's feed (filtered on the modified date) shows it.
    await world.joor.control('POST', `orders/${old.order_id}/modify`, { status: 'Approved', customer_purchase_order: 'PO-LATE-EDIT' });
    const first = await pollNow();
    expect((first.details as { newlyIgnored?: number }).newlyIgnored).toBe(1);
    const entry = await authed(api().get(`/connections/${connectionId}/orders/${old.order_id}`)).expect(200);
    expect(entry.body).toMatchObject({ state: 'ignored', amcOrderId: null, attempts: 0, lastError: expect.stringContaining(`before the connection's start date ${world.brand.joor.orderStartDate}`) });
    const listed = await authed(api().get(`/connections/${connectionId}/orders`).query({ state: 'ignored' })).expect(200);
    expect(listed.body.items.map((i: { joorOrderId: string }) => i.joorOrderId)).toEqual([old.order_id]);
    expect(await world.sql(`SELECT 1 FROM sync_event WHERE run_id = $1 AND entity_key = $2`, [first.id, old.order_id])).toHaveLength(1);
    const second = await pollNow();
    expect((second.details as { newlyIgnored?: number }).newlyIgnored).toBe(0);
    expect(await world.sql(`SELECT 1 FROM sync_event WHERE run_id = $1 AND entity_key = $2`, [second.id, old.order_id])).toHaveLength(0);
    expect((await world.amcCountByJoorId()).get(old.order_id)).toBeUndefined();
    expect((await world.joorOrders()).get(old.order_id)?.export_status ?? null).toBeNull();
  });

  it("finds a line's SKU by style / color / size when JOOR identifies the style as a colorway product (<style>-<color code>) and sends no UPC", async () => {
    const template = world.expectedInAmc()[2];
    const skuByUpc = new Map(world.brand.amc.skus.map((s) => [s.upc_display, s]));
    const colorCode = (productId: string, colorName: string) => world.brand.amc.attributes.find((a) => a.product_id === productId && a.attribute_2 === colorName)!.color_code;
    const lines = template.line_items
      .filter((l) => l.item_quantity > 0)
      .map((line) => {
        const sku = skuByUpc.get(line.item_upc)!;
        const code = colorCode(sku.product_id, sku.attr_2);
        return { ...line, item_upc: '', item_style_identifier: `${sku.style_number}-${code}`, item_number: `${sku.style_number}-${code}`, item_color_code: code };
      });
    const orderId = '7700001';
    await world.joor.control('POST', 'orders', {
      ...template,
      order_id: orderId,
      customer_purchase_order: 'PO-COLORWAY',
      line_items: lines,
      date_created: new Date().toISOString(),
      date_modified: new Date().toISOString(),
    });
    const run = await pollNow();
    expect(run.count_created).toBe(1);
    const [created] = (await world.amcOrders()).filter((o) => o.joor_id === orderId);
    expect(created.order_items.map((i) => i.sku_id)).toEqual(template.line_items.filter((l) => l.item_quantity > 0).map((l) => skuByUpc.get(l.item_upc)!.sku_id));
  });

  it('the schedule polls by itself, opening runs with trigger "schedule"', async () => {
    const before = Date.now();
    // Through the gateway, as a user would: the setting changes the connection's job scheduler.
    await authed(
      api()
        .patch(`/connections/${connectionId}`)
        .send({ settings: { orderPollMinutes: 5 } }),
    ).expect(200);
    const scheduled = await waitFor(
      'a scheduled order poll to end',
      async () => {
        const rows = await world.sql<RunRow & { queued_at: Date }>(
          `SELECT * FROM sync_run WHERE connection_id = $1 AND kind = 'orders' AND trigger = 'schedule' AND status IN ('succeeded','partial')`,
          [connectionId],
        );
        return rows.filter((r) => r.queued_at.getTime() >= before - 1_000).length >= 2 ? rows : null;
      },
      30_000,
      250,
    );
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    await authed(api().delete(`/connections/${connectionId}`)).expect(204);
    expect(await world.queue().getJobSchedulers()).toEqual([]);
  });
});

function mdy(isoDay: string): string {
  return `${isoDay.slice(5, 7)}/${isoDay.slice(8, 10)}/${isoDay.slice(0, 4)}`;
}
