import type { AmcCustomer } from '@app/sandbox-seed';
import { SandboxKitClient } from '@app/testing';
import { actualJoorCustomers, expectedJoorCustomers } from '@app/testing/customer-oracle';
import { startCustomerStack, type CustomerStack } from '@app/testing/customer-sync-stack';

const SEED = { styles: 6, seed: 11, customers: 30 };

/**
 * JOOR's other answers: v2 in its XML-born wrapped form, opaque ids, and bulk-connection answering
 * only its job's id and status (`JOOR_SANDBOX_CONNECTION_LOG=job`), no log: customer sync follows each
 * job up by looking its customers up by code.
 */
describe('customer sync against JOOR answering jobs without a log, in the wrapped v2 dialect (e2e)', () => {
  jest.setTimeout(180_000);
  let stack: CustomerStack;
  let kit: SandboxKitClient;
  let connectionId: string;
  let customers: AmcCustomer[];
  const seededOnJoor = () => new Set(stack.brand.joor.connections.map((c) => c.customer_code));

  beforeAll(async () => {
    stack = await startCustomerStack('jobs', {
      seed: SEED,
      tuning: { customersPerCall: 10, pendingRecheckMs: 24 * 3_600_000 },
      joorEnv: { JOOR_SANDBOX_V2_ENVELOPE: 'wrapped', JOOR_SANDBOX_ID_STYLE: 'opaque', JOOR_SANDBOX_CONNECTION_LOG: 'job' },
    });
    kit = new SandboxKitClient(stack.joor.url);
    customers = structuredClone(stack.brand.amc.customers);
    connectionId = await stack.connect('jobs');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('follows each job to its end by code: a code JOOR knows is active, a new one pending, and JOOR holds the mapped fields', async () => {
    const expected = expectedJoorCustomers(customers);
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.sync(connectionId, { full: true });
    expect(run).toMatchObject({ status: 'succeeded', countCreated: 4, countUpdated: 17, countFailed: 0 });
    expect(run.details).toMatchObject({ followedByLookup: 21 });
    const { calls } = await kit.calls({ since, limit: 1_000 });
    expect(calls.filter((c) => c.path.startsWith('/v2/bulk-connection'))).toHaveLength(3);
    expect(calls.filter((c) => c.path.startsWith('/v2/connection/'))).toHaveLength(21);
    expect(run.creditsSpent).toBe(3 * 5 + 21);

    expect(actualJoorCustomers(await stack.joorCustomers(), expected.keys())).toEqual(expected);
    const state = await stack.stateOf(connectionId);
    for (const code of expected.keys()) {
      const row = state.get(customers.find((c) => c.joor_customer_code === code)!.customer_id)!;
      expect(row.state).toBe(seededOnJoor().has(code) ? 'active' : 'pending');
      if (row.state === 'pending') expect(row.reason).toMatch(/^sent in JOOR's job [0-9a-f-]{36}, whose answer carried no log/);
    }
  });

  it('an unchanged re-run neither writes nor looks up', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.sync(connectionId, { full: true });
    expect(run).toMatchObject({ status: 'succeeded', countUnchanged: 21, creditsSpent: 0 });
    expect((await kit.calls({ since, limit: 100 })).calls).toEqual([]);
  });

  it('a change JOOR does not show after its job is a warning: the customer stays active, the change is not taken (due)', async () => {
    const known = customers.find((c) => c.joor_customer_code && c.status === 'active' && seededOnJoor().has(c.joor_customer_code))!;
    // JOOR refuses the email; without a log only the look-up can tell: JOOR still shows the old one.
    await stack.amcApi.updateCustomer(known.customer_id, { email: 'not an email' });
    const run = await stack.sync(connectionId);
    expect(run).toMatchObject({ status: 'partial', countFailed: 1 });
    const warnings = (await stack.recorder.listEvents(run.id, undefined, 100)).filter((e) => e.level === 'warning');
    expect(warnings.map((w) => [w.entityKey, w.reason])).toEqual([[known.customer_id, expect.stringContaining(`JOOR knows customer ${known.joor_customer_code}, but its job`)]]);
    const row = (await stack.stateOf(connectionId)).get(known.customer_id)!;
    expect(row).toMatchObject({ state: 'active', reason: expect.stringContaining('has not applied the change yet') });
    expect((await stack.joorCustomers()).get(known.joor_customer_code)?.customer_contact_email).toBe(known.email);

    await stack.amcApi.updateCustomer(known.customer_id, { email: known.email });
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const healed = await stack.sync(connectionId);
    // Back to what JOOR holds (the refused change was never recorded as taken): nothing to send, active without a reason.
    expect(healed).toMatchObject({ status: 'succeeded', countUpdated: 0, countFailed: 0, countUnchanged: 1 });
    expect((await kit.calls({ since, limit: 100 })).calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect((await stack.stateOf(connectionId)).get(known.customer_id)).toMatchObject({ state: 'active', reason: null });
  });
});
