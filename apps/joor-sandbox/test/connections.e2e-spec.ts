import { JoorRaw, startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';

type Stored = { customer_code: string; connection_status: string; billing_address?: unknown; shipping_addresses?: unknown };

describe('JOOR sandbox customers: what bulk-connection checks and keeps, and its answer forms', () => {
  let sb: JoorSandboxHarness;
  let jobs: JoorSandboxHarness;

  beforeAll(async () => {
    sb = await startJoorSandbox('conn');
    jobs = await startJoorSandbox('connjob', { JOOR_SANDBOX_CONNECTION_LOG: 'job', JOOR_SANDBOX_V2_ENVELOPE: 'wrapped' });
  });
  afterAll(async () => {
    await sb?.close();
    await jobs?.close();
  });

  const stored = async (h: JoorSandboxHarness, code: string) => ((await h.control('GET', 'state/connections')) as Stored[]).find((c) => c.customer_code === code);

  it('keeps a billing address and ship-to addresses sent as a list or in their XML-born wrapping, as a list', async () => {
    const raw = new JoorRaw(sb);
    const address = { code: '30', name: 'Main', address_1: '1 Rue Haute', city: 'Lille', postal_code: '59000', country: 'FR' };
    const posted = await raw.v2('POST', '/bulk-connection', {
      bulk_connections: {
        connection: [
          {
            customer_code: 'ADDR-1',
            customer_name: 'Wrapped',
            billing_address: { address_1: '1 Rue Haute', city: 'Lille' },
            shipping_addresses: { shipping_address: [address, { ...address, code: '31' }] },
          },
          { customer_code: 'ADDR-2', customer_name: 'One unwrapped', shipping_addresses: { shipping_address: address } },
          { customer_code: 'ADDR-3', customer_name: 'Bare list', shipping_addresses: [address] },
        ],
      },
    });
    expect(posted.body.connection_log.map((l: { status: string }) => l.status)).toEqual(['Pending', 'Pending', 'Pending']);
    expect(await stored(sb, 'ADDR-1')).toMatchObject({ billing_address: { address_1: '1 Rue Haute', city: 'Lille' }, shipping_addresses: [address, { ...address, code: '31' }] });
    expect((await stored(sb, 'ADDR-2'))?.shipping_addresses).toEqual([address]);
    expect((await stored(sb, 'ADDR-3'))?.shipping_addresses).toEqual([address]);
  });

  it('refuses, per customer in its log, an email that is no address and an over-long address field; the rest is taken', async () => {
    const raw = new JoorRaw(sb);
    const posted = await raw.v2('POST', '/bulk-connection', {
      bulk_connections: {
        connection: [
          { customer_code: 'BAD-1', customer_name: 'Bad email', customer_contact_email: 'buyer at shop' },
          { customer_code: 'BAD-2', customer_name: 'Long street', shipping_addresses: [{ code: '1', address_1: 'x'.repeat(101) }] },
          { customer_code: 'OK-1', customer_name: 'Fine', customer_contact_email: 'buyer@fine.example' },
        ],
      },
    });
    expect(posted.body.connection_log).toEqual([
      { customer_code: 'BAD-1', status: 'Error', message: 'customer_contact_email "buyer at shop" is not an email address' },
      { customer_code: 'BAD-2', status: 'Error', message: 'shipping_addresses[0]: address_1 is longer than 100 characters' },
      { customer_code: 'OK-1', status: 'Pending', message: 'New customer: pending review by JOOR' },
    ]);
    expect(await stored(sb, 'BAD-1')).toBeUndefined();
    expect(await stored(sb, 'OK-1')).toMatchObject({ connection_status: 'Pending' });
  });

  it('with JOOR_SANDBOX_CONNECTION_LOG=job answers only the job (its id and status), having done the work', async () => {
    const raw = new JoorRaw(jobs);
    const known = ((await jobs.control('GET', 'state/connections')) as Stored[]).find((c) => c.connection_status === 'Connected')!;
    const posted = await raw.v2('POST', '/bulk-connection', {
      bulk_connections: {
        connection: [
          { customer_code: 'JOB-1', customer_name: 'Queued' },
          { customer_code: known.customer_code, customer_name: 'Renamed by a job' },
        ],
      },
    });
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual({ job_status: 'queued', job_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await raw.v2('GET', '/connection/customer_code/JOB-1/')).status).toBe(404);
    const found = await raw.v2('GET', `/connection/customer_code/${known.customer_code}/`);
    expect(found.body).toEqual({ connections: { connection: expect.objectContaining({ customer_name: 'Renamed by a job', connection_status: 'Connected' }) } });
  });
});
