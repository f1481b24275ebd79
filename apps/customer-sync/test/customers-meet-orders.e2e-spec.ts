import request from 'supertest';
import type { JoorOrder } from '@app/sandbox-seed';
import { TEST_API_KEY, waitFor } from '@app/testing';
import { startCustomerStack, type CustomerStack } from '@app/testing/customer-sync-stack';

// Seed 13 with 8 orders: the generator's first orders cover every case, among them a Shipped order for
// a customer code no AMC customer carries.
const SEED = { styles: 6, seed: 13, customers: 30, orders: 8 };

interface AmcOrderState {
  order_id: string;
  joor_id: string;
  customer_id: string;
}

/**
 * Orders meet customers, through the real services (customer-sync, order-ingest and the gateway in
 * this process, both sandboxes over HTTP): an order that failed for an unknown customer goes through
 * once the customer's JOOR code is set in AMC, and a new customer travels the whole way: code set in
 * AMC, sent by customer sync, pending, matched by JOOR (after the sandbox's approval delay), active,
 * then its order arrives and lands in AMC at the next poll.
 */
describe('orders meet customers: AMC code -> customer sync -> JOOR match -> order -> AMC (e2e)', () => {
  jest.setTimeout(180_000);
  let stack: CustomerStack;
  let connectionId: string;
  const api = () => request(stack.gateway!.url);
  const authed = (r: request.Test) => r.set('x-api-key', TEST_API_KEY);

  const poll = async () => {
    const res = await authed(api().post(`/connections/${connectionId}/sync/orders`).send({})).expect(202);
    return stack.waitRun(res.body.runId);
  };
  const amcOrders = async (): Promise<AmcOrderState[]> => (await (await fetch(`${stack.amc.url}/_sandbox/state/orders`)).json()) as AmcOrderState[];
  const ledger = async (joorOrderId: string) => (await authed(api().get(`/connections/${connectionId}/orders/${joorOrderId}`)).expect(200)).body as { state: string; lastError: string | null };

  beforeAll(async () => {
    // JOOR's data team matches a new customer by itself 2 s after it arrives (JOOR_SANDBOX_CONNECTION_DELAY_SECONDS).
    stack = await startCustomerStack('orders', { seed: SEED, joorEnv: { JOOR_SANDBOX_CONNECTION_DELAY_SECONDS: '2' }, gatewayMinuteMs: 60_000, orderIngest: true });
    connectionId = await stack.connect('orders-meet-customers');
    const first = await stack.sync(connectionId, { full: true });
    expect(first.status).toBe('succeeded');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('an order that failed for an unknown customer goes through at the next poll once AMC gives the customer its JOOR code, and customer sync sends it', async () => {
    const order = stack.brand.joor.orders.find((o) => o.seed_case === 'unknown-customer' && (o.status === 'Approved' || o.status === 'Shipped'))!;
    expect(order).toBeDefined();
    await poll();
    expect(await ledger(order.order_id)).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining(`unknown customer: no AMC customer carries JOOR customer code "${order.customer_code}"`),
    });

    const customer = stack.brand.amc.customers.find((c) => c.joor_customer_code === '' && c.status === 'active')!;
    await stack.amcApi.updateCustomer(customer.customer_id, { joor_customer_code: order.customer_code });
    await poll();
    expect(await ledger(order.order_id)).toMatchObject({ state: 'created', lastError: null });
    expect((await amcOrders()).filter((o) => o.joor_id === order.order_id).map((o) => o.customer_id)).toEqual([customer.customer_id]);

    // Customer sync sends the newly coded customer to JOOR.
    const run = await stack.sync(connectionId);
    expect(run).toMatchObject({ status: 'succeeded', countCreated: 1 });
    expect((await stack.joorCustomers()).get(order.customer_code)).toMatchObject({ customer_name: customer.customer_name });
  });

  it('a new customer: code set in AMC, sent, pending, matched by JOOR, active; then its order lands in AMC at the next poll', async () => {
    const customer = stack.brand.amc.customers.filter((c) => c.joor_customer_code === '' && c.status === 'active')[1];
    expect(customer).toBeDefined();
    const code = `JC-NEW-${customer.customer_id}`;
    await stack.amcApi.updateCustomer(customer.customer_id, { joor_customer_code: code });

    const sent = await stack.sync(connectionId);
    expect(sent).toMatchObject({ status: 'succeeded', countCreated: 1 });
    const shown = async () => (await authed(api().get(`/connections/${connectionId}/customers/${code}`)).expect(200)).body as { state: string; amcCustomerId: string };
    // What JOOR's log said when it took the customer (JOOR's own state turns by itself after the delay).
    expect(await shown()).toMatchObject({ state: 'pending', amcCustomerId: customer.customer_id });

    // JOOR matches it after its delay; the next runs' pending check finds it.
    await waitFor(
      'customer sync to see JOOR has matched the new customer',
      async () => {
        await stack.sync(connectionId);
        return (await shown()).state === 'active';
      },
      60_000,
      500,
    );

    // A buyer at the new customer places an order on JOOR (a copy of a good one, for this customer).
    const template = stack.brand.joor.orders.find((o) => o.seed_case === 'ok' && o.status === 'Approved')!;
    const order: JoorOrder = { ...structuredClone(template), order_id: '990001', customer_code: code, customer_purchase_order: 'PO-NEW-CUSTOMER', date_modified: new Date().toISOString() };
    await stack.joor.control('POST', 'orders', order);
    const polled = await poll();
    expect(polled.countCreated).toBeGreaterThanOrEqual(1);
    expect(await ledger(order.order_id)).toMatchObject({ state: 'created', lastError: null });
    expect((await amcOrders()).filter((o) => o.joor_id === order.order_id).map((o) => o.customer_id)).toEqual([customer.customer_id]);
  });
});
