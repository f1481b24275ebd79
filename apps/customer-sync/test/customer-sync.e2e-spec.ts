import request from 'supertest';
import { jobIds, QUEUES, upsertScheduler } from '@app/contracts';
import type { AmcCustomer } from '@app/sandbox-seed';
import { SandboxKitClient, TEST_API_KEY, waitFor } from '@app/testing';
import { actualJoorCustomers, expectedJoorCustomers } from '@app/testing/customer-oracle';
import { ConnectionSchedules } from '../../gateway/src/sync/connection-schedules.service';
import { startCustomerStack, type CustomerStack } from '@app/testing/customer-sync-stack';

// 30 customers of seed 11: 21 active with a JOOR code (17 of them already on JOOR, 4 new), 1 inactive
// with a code (on JOOR), 8 without a code.
const SEED = { styles: 6, seed: 11, customers: 30 };

/** The JOOR customer writes and 429s in the sandbox's call log after `since`. */
async function customerCalls(kit: SandboxKitClient, since: number) {
  const { calls } = await kit.calls({ since, limit: 10_000 });
  return {
    writes: calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/v2/bulk-connection')),
    lookups: calls.filter((c) => c.method === 'GET' && c.path.startsWith('/v2/connection/')),
    throttled: calls.filter((c) => c.status === 429).length,
  };
}

describe('customer sync AMC -> JOOR (both sandboxes over HTTP, real PostgreSQL and Redis)', () => {
  jest.setTimeout(180_000);
  let stack: CustomerStack;
  let kit: SandboxKitClient;
  let connectionId: string;
  /** AMC's customers as the tests leave them (the seeded brand, changed as the tests change AMC). */
  let customers: AmcCustomer[];
  const api = () => request(stack.gateway!.url);
  const authed = (r: request.Test) => r.set('x-api-key', TEST_API_KEY);
  const seededOnJoor = () => new Set(stack.brand.joor.connections.map((c) => c.customer_code));
  const byCode = (code: string) => customers.find((c) => c.joor_customer_code === code)!;
  const runs = async () => (await stack.recorder.listForConnection(connectionId, { kind: 'customers', limit: 200, offset: 0 })).items;
  const events = async (runId: string, level = 'error') =>
    (await stack.recorder.listEvents(runId, undefined, 1_000)).filter((e) => e.level === level).map((e) => ({ entityKey: e.entityKey, reason: e.reason }));

  beforeAll(async () => {
    // 4 customers per call: a full sync makes several calls, so batch boundaries and faults happen.
    stack = await startCustomerStack('main', { seed: SEED, tuning: { customersPerCall: 4 }, gatewayMinuteMs: 60_000 });
    kit = new SandboxKitClient(stack.joor.url);
    customers = structuredClone(stack.brand.amc.customers);
    connectionId = await stack.connect('brand');
  });

  afterAll(async () => {
    await kit?.clearFaults().catch(() => undefined);
    await stack?.close();
  });

  it('sends exactly the active AMC customers with a JOOR code, with the mapped fields: a code JOOR knows is updated (active), a new one is pending', async () => {
    const expected = expectedJoorCustomers(customers);
    const known = [...expected.keys()].filter((code) => seededOnJoor().has(code));
    const fresh = [...expected.keys()].filter((code) => !seededOnJoor().has(code));
    expect([expected.size, known.length, fresh.length]).toEqual([21, 17, 4]);
    const since = (await kit.calls({ limit: 1 })).lastSeq;

    const run = await stack.sync(connectionId, { full: true });
    expect(run).toMatchObject({ status: 'succeeded', countCreated: 4, countUpdated: 17, countUnchanged: 0, countFailed: 0, progressDone: 30, progressTotal: 30 });
    expect(run.details).toMatchObject({ mode: 'full', skipped: 9 });
    const calls = await customerCalls(kit, since);
    // 21 customers at 4 per call: 6 calls, 5 credits each, and nothing else.
    expect(calls.writes).toHaveLength(6);
    expect(run.creditsSpent).toBe(30);

    const joor = await stack.joorCustomers();
    expect(actualJoorCustomers(joor, expected.keys())).toEqual(expected);
    // Only what was sent carries a billing address: exactly the expected customers were sent.
    expect(
      [...joor.values()]
        .filter((c) => c.billing_address)
        .map((c) => c.customer_code)
        .sort(),
    ).toEqual([...expected.keys()].sort());
    for (const code of fresh) expect(joor.get(code)?.connection_status).toBe('Pending');

    const state = await stack.stateOf(connectionId);
    for (const code of known) expect(state.get(byCode(code).customer_id)).toMatchObject({ state: 'active', joorCode: code, reason: null, activatedAt: expect.any(Date) });
    for (const code of fresh) expect(state.get(byCode(code).customer_id)).toMatchObject({ state: 'pending', joorCode: code, reason: expect.stringContaining('2-3 business days'), activatedAt: null });
    const noCode = customers.filter((c) => !c.joor_customer_code);
    const inactive = customers.filter((c) => c.joor_customer_code && c.status !== 'active');
    expect([noCode.length, inactive.length]).toEqual([8, 1]);
    for (const c of noCode) expect(state.get(c.customer_id)).toMatchObject({ state: 'skipped', joorCode: null, reason: expect.stringContaining('has no JOOR code in AMC') });
    expect(state.get(inactive[0].customer_id)).toMatchObject({ state: 'skipped', reason: expect.stringContaining('is inactive in AMC') });

    // The gateway lists them by state, with the reason and the time sent.
    const pending = await authed(api().get(`/connections/${connectionId}/customers`).query({ state: 'pending' })).expect(200);
    expect(pending.body.total).toBe(4);
    expect(pending.body.items.map((i: { joorCode: string }) => i.joorCode).sort()).toEqual([...fresh].sort());
    expect(pending.body.items[0]).toMatchObject({ state: 'pending', reason: expect.stringContaining("JOOR's data team"), sentAt: expect.any(String), activatedAt: null });
    const skipped = await authed(api().get(`/connections/${connectionId}/customers`).query({ state: 'skipped', limit: 5 })).expect(200);
    expect(skipped.body).toMatchObject({ total: 9, items: expect.any(Array) });
    expect(skipped.body.items).toHaveLength(5);
    const one = await authed(api().get(`/connections/${connectionId}/customers/${encodeURIComponent(known[0])}`)).expect(200);
    expect(one.body).toMatchObject({ joorCode: known[0], amcCustomerId: byCode(known[0]).customer_id, state: 'active', sentAt: expect.any(String), activatedAt: expect.any(String) });
    await authed(api().get(`/connections/${connectionId}/customers/NO-SUCH-CODE`)).expect(404);
    await authed(api().get(`/connections/${connectionId}/customers`).query({ state: 'gone' })).expect(400);
  });

  it('an unchanged re-run, full or delta, writes nothing to JOOR', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const full = await stack.sync(connectionId, { full: true });
    expect(full).toMatchObject({ status: 'succeeded', countCreated: 0, countUpdated: 0, countFailed: 0, countUnchanged: 21 });
    // Its only credits: the pending check's look-ups of the 4 new customers (1 each; this stack looks them up at every run).
    expect(full.creditsSpent).toBe(4);
    const delta = await stack.sync(connectionId);
    expect(delta.details).toMatchObject({ mode: 'delta' });
    expect(delta).toMatchObject({ status: 'succeeded', countCreated: 0, countUpdated: 0, countFailed: 0 });
    expect((await customerCalls(kit, since)).writes).toEqual([]);
  });

  it('a pending customer is looked up by the next runs and becomes active once JOOR has matched it', async () => {
    const state = await stack.stateOf(connectionId);
    const pending = [...state.values()].filter((r) => r.state === 'pending');
    expect(pending).toHaveLength(4);
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    // JOOR's data team has not matched them: the look-up finds none, they stay pending (looked up, 1 credit each).
    const first = await stack.sync(connectionId);
    expect(first.details).toMatchObject({ pendingCheck: { lookedUp: 4, activated: 0, stillPending: 4 } });
    expect((await customerCalls(kit, since)).lookups).toHaveLength(4);
    expect([...(await stack.stateOf(connectionId)).values()].filter((r) => r.state === 'pending' && r.checkedAt)).toHaveLength(4);

    const [matched, ...others] = pending;
    await stack.joor.control('POST', 'connections/process', { customer_codes: [matched.joorCode] });
    const second = await stack.sync(connectionId);
    expect(second.details).toMatchObject({ pendingCheck: { lookedUp: 4, activated: 1, stillPending: 3 } });
    const after = await stack.stateOf(connectionId);
    expect(after.get(matched.amcCustomerId)).toMatchObject({ state: 'active', reason: null, activatedAt: expect.any(Date) });
    for (const o of others) expect(after.get(o.amcCustomerId)?.state).toBe('pending');
    const shown = await authed(api().get(`/connections/${connectionId}/customers/${encodeURIComponent(matched.joorCode!)}`)).expect(200);
    expect(shown.body).toMatchObject({ state: 'active', checkedAt: expect.any(String) });
    const info = await events(second.id, 'info');
    expect(info).toEqual([{ entityKey: matched.amcCustomerId, reason: expect.stringContaining(`JOOR has matched customer ${matched.joorCode}`) }]);
  });

  it('the gateway queues a run on demand and schedules one every customerSyncMinutes', async () => {
    const accepted = await authed(
      api()
        .post(`/connections/${connectionId}/sync/customers`)
        .send({ codes: [customers.find((c) => c.joor_customer_code && c.status === 'active')!.joor_customer_code] }),
    ).expect(202);
    const run = await stack.waitRun(accepted.body.runId);
    expect(run).toMatchObject({ trigger: 'manual', status: 'succeeded', countUnchanged: 1, progressTotal: 1 });
    expect(run.details).toMatchObject({ mode: 'codes' });
    await authed(
      api()
        .post(`/connections/${connectionId}/sync/customers`)
        .send({ styleNumbers: ['X'] }),
    ).expect(400);
    await authed(
      api()
        .post(`/connections/${connectionId}/sync/orders`)
        .send({ codes: ['X'] }),
    ).expect(400);
    await authed(
      api()
        .patch(`/connections/${connectionId}`)
        .send({ settings: { customerSyncMinutes: 45 } }),
    ).expect(200);
    const schedules = await authed(api().get(`/connections/${connectionId}/schedules`)).expect(200);
    expect(schedules.body.customers).toMatchObject({ everyMs: 45 * 60_000 });
    // A schedule fires when it is set: that run ends before the next test; the rest of the file drives the schedule itself.
    await stack.gateway!.app.get(ConnectionSchedules).remove(connectionId);
    expect((await authed(api().get(`/connections/${connectionId}/schedules`)).expect(200)).body.customers).toEqual({ everyMs: null, next: null });
    const scheduled = await waitFor('the run the schedule fired', async () => (await runs()).find((r) => r.trigger === 'schedule'), 30_000, 200);
    await stack.waitRun(scheduled.id);
  });

  it('a changed address reaches JOOR by the schedule alone', async () => {
    const customer = byCode([...expectedJoorCustomers(customers).keys()].find((code) => seededOnJoor().has(code))!);
    const locations = customer.locations.map((l) => (l.is_main_location === '1' ? { ...l, address_1: '99 Rue du Changement' } : l));
    // Through AMC's own API, as a person would change the customer.
    await stack.amcApi.updateCustomer(customer.customer_id, { locations });
    customer.locations = locations;
    const code = customer.joor_customer_code;
    const before = new Set((await runs()).map((r) => r.id));

    const schedulerId = jobIds.schedule('customers', connectionId);
    await upsertScheduler(stack.queue, QUEUES.customer, 'customer.sync', schedulerId, 1_000, { connectionId, trigger: 'schedule' });
    try {
      await waitFor('JOOR to show the new address', async () => (await stack.joorCustomers()).get(code)?.shipping_addresses?.[0]?.address_1 === '99 Rue du Changement', 60_000, 300);
    } finally {
      await stack.queue.removeJobScheduler(schedulerId);
    }
    expect(actualJoorCustomers(await stack.joorCustomers(), [code]).get(code)).toEqual(expectedJoorCustomers(customers).get(code));
    const sent = (await runs()).filter((r) => !before.has(r.id) && r.trigger === 'schedule' && r.countUpdated > 0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ countUpdated: 1, countCreated: 0 });
    expect(sent[0].details).toMatchObject({ mode: 'delta' });
  });

  it('bad data: no name, an email or an over-long field JOOR refuses, a code JOOR cannot take: an event each with a plain reason, the rest goes through, the run ends partial', async () => {
    const active = customers.filter((c) => c.joor_customer_code && c.status === 'active');
    const [noName, badEmail, longName, longCode, fine] = active.slice(-5);
    const change = async (c: AmcCustomer, fields: Partial<AmcCustomer>) => {
      await stack.amcApi.updateCustomer(c.customer_id, fields);
    };
    await change(noName, { customer_name: '' });
    await change(badEmail, { email: 'buyer at nowhere' });
    await change(longName, { customer_name: `${longName.customer_name} `.repeat(12).trim() });
    await change(longCode, { joor_customer_code: `JC-${'9'.repeat(60)}` });
    await change(fine, { city: 'Roubaix' });
    fine.city = 'Roubaix';

    const run = await stack.sync(connectionId);
    expect(run).toMatchObject({ status: 'partial', countFailed: 4, countUpdated: 1 });
    const errors = await events(run.id);
    expect(errors).toEqual(
      expect.arrayContaining([
        { entityKey: noName.customer_id, reason: `AMC customer ${noName.customer_id} (JOOR code ${noName.joor_customer_code}) has no name in AMC; JOOR needs a customer name` },
        { entityKey: badEmail.customer_id, reason: expect.stringMatching(/^JOOR refused customer .*: Error: customer_contact_email "buyer at nowhere" is not an email address$/) },
        { entityKey: longName.customer_id, reason: expect.stringMatching(/^JOOR refused customer .*customer_name is longer than 100 characters$/) },
        { entityKey: longCode.customer_id, reason: expect.stringContaining('is 63 characters long; JOOR takes at most 50') },
      ]),
    );
    expect(errors).toHaveLength(4);
    expect((await stack.joorCustomers()).get(fine.joor_customer_code)?.billing_address?.city).toBe('Roubaix');
    const failed = await authed(api().get(`/connections/${connectionId}/customers`).query({ state: 'failed' })).expect(200);
    expect(failed.body.items.map((i: { amcCustomerId: string }) => i.amcCustomerId).sort()).toEqual([noName, badEmail, longName, longCode].map((c) => c.customer_id).sort());
    // JOOR keeps what it had of them: the refused values never reached it.
    const joor = await stack.joorCustomers();
    expect(joor.get(badEmail.joor_customer_code)?.customer_contact_email).toBe(badEmail.email);
    expect(joor.get(longName.joor_customer_code)?.customer_name).toBe(longName.customer_name);

    // AMC as the brand had it: the next run sends nothing new (JOOR holds those payloads already) and they are active again.
    for (const c of [noName, badEmail, longName, longCode]) await change(c, { customer_name: c.customer_name, email: c.email, joor_customer_code: c.joor_customer_code });
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const healed = await stack.sync(connectionId);
    expect(healed).toMatchObject({ status: 'succeeded', countFailed: 0, countCreated: 0, countUpdated: 0 });
    expect((await customerCalls(kit, since)).writes).toEqual([]);
    const state = await stack.stateOf(connectionId);
    for (const c of [noName, badEmail, longName, longCode]) expect(state.get(c.customer_id)?.state).toMatch(/^(active|pending)$/);
  });

  it('two AMC customers with one JOOR code are both refused, with a reason naming both; JOOR keeps the customer it had', async () => {
    const holder = customers.find((c) => c.joor_customer_code && c.status === 'active' && seededOnJoor().has(c.joor_customer_code))!;
    const intruder = customers.find((c) => !c.joor_customer_code)!;
    await stack.amcApi.updateCustomer(intruder.customer_id, { joor_customer_code: holder.joor_customer_code });
    const run = await stack.sync(connectionId);
    expect(run).toMatchObject({ status: 'partial', countFailed: 2 });
    const [low, high] = [holder, intruder].sort((a, b) => Number(a.customer_id) - Number(b.customer_id));
    const reason = `JOOR code ${holder.joor_customer_code} is carried by AMC customer ${low.customer_id} (${low.customer_name}) and AMC customer ${high.customer_id} (${high.customer_name}) in AMC; JOOR matches customers on the code, so none of them is sent until only one carries it`;
    expect((await events(run.id)).sort((a, b) => Number(a.entityKey) - Number(b.entityKey))).toEqual([
      { entityKey: low.customer_id, reason },
      { entityKey: high.customer_id, reason },
    ]);
    expect((await stack.joorCustomers()).get(holder.joor_customer_code)?.customer_name).toBe(holder.customer_name);
    const shown = await authed(api().get(`/connections/${connectionId}/customers/${encodeURIComponent(holder.joor_customer_code)}`)).expect(200);
    expect(shown.body).toMatchObject({ amcCustomerId: low.customer_id, state: 'failed', reason, sameCodeAs: [high.customer_id] });

    // The intruder loses the code: the holder (unchanged in AMC, due) is active again without a write.
    await stack.amcApi.updateCustomer(intruder.customer_id, { joor_customer_code: '' });
    const healed = await stack.sync(connectionId);
    expect(healed).toMatchObject({ status: 'succeeded', countFailed: 0, countUpdated: 0, countCreated: 0 });
    const state = await stack.stateOf(connectionId);
    expect(state.get(holder.customer_id)).toMatchObject({ state: 'active', reason: null });
    expect(state.get(intruder.customer_id)).toMatchObject({ state: 'skipped', joorCode: null });
  });

  it('with 20% of JOOR customer calls faulted, runs converge to the same customers on JOOR, with no 429', async () => {
    // JOOR's customers back to the seeded ones; a new connection sends them all again, under faults.
    await stack.joor.seed({ ...SEED, orders: 0 });
    const fresh = await stack.connect('faulted');
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    // Sends and look-ups alike; 502 after JOOR did the work.
    await kit.setFaults({ rules: [{ path: '/v2/', kinds: ['500', '502', '503', 'malformed', 'timeout'], rate: 0.2 }], seed: 5, timeoutMs: 1_500 });
    let last = null;
    try {
      for (let i = 0; i < 10; i++) {
        last = await stack.sync(fresh, i === 0 ? { full: true } : {}, { backoffMs: 200 });
        if (last.status === 'succeeded' && !(last.details as { due?: number }).due) break;
      }
    } finally {
      await kit.clearFaults();
    }
    expect(last).toMatchObject({ status: 'succeeded' });
    const expected = expectedJoorCustomers(customers);
    expect(actualJoorCustomers(await stack.joorCustomers(), expected.keys())).toEqual(expected);
    const state = await stack.stateOf(fresh);
    for (const code of expected.keys()) expect(state.get(byCode(code).customer_id)?.state).toBe(seededOnJoor().has(code) ? 'active' : 'pending');
    const calls = await kit.calls({ since, limit: 10_000 });
    expect(calls.calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(calls.calls.some((c) => c.fault !== null)).toBe(true);
  });
});
