import { createTestDatabase, freePort, ServiceProcess, testProcessEnv, type TestDatabase } from '@app/testing';
import { JoorRaw } from '@app/testing/joor-sandbox-harness';
import { loadJoorSandboxConfig } from '../src/joor-sandbox.config';

/** The built sandbox as its own process (as the demo and the budget's multi-process test run it). */
describe('JOOR sandbox as a process', () => {
  let db: TestDatabase;
  let sandbox: ServiceProcess | undefined;
  let second: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('joor_process', { migrate: false });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await second?.stop();
    await db?.drop();
  });

  it('serves health and metrics, stops cleanly on SIGTERM, and keeps its state and credit window across a restart', async () => {
    const port = await freePort();
    const env = testProcessEnv('joor-sandbox', {
      databaseUrl: db.url,
      queuePrefix: 'unused',
      port,
      extra: { JOOR_SANDBOX_SEED_STYLES: '3', JOOR_SANDBOX_CREDITS_PER_WINDOW: '50', JOOR_SANDBOX_WINDOW_SECONDS: '600' },
    });
    sandbox = ServiceProcess.start('joor-sandbox', env, port);
    await sandbox.ready();
    expect((await fetch(`${sandbox.url}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${sandbox.url}/metrics`)).text()).toContain('service="joor-sandbox"');

    const accountId = ((await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as { accountId: string }).accountId;
    const raw = new JoorRaw({ url: sandbox.url, accountId, config: loadJoorSandboxConfig({}) });
    const created = await raw.v4('POST', '/products/bulk_create', [{ name: 'Kept', external_id: 'KEEP-1', product_identifier: 'KEEP-1' }]);
    expect(created.status).toBe(200);
    expect(created.headers.get('x-ratelimit-remaining')).toBe('45');

    expect(await sandbox.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    sandbox = ServiceProcess.start('joor-sandbox', env, port);
    await sandbox.ready();

    const listed = await raw.v4('GET', '/products', undefined, { external_ids: 'KEEP-1' });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ name: 'Kept', id: created.body.data[0].id })]);
    // Same token, same window: 45 - 1.
    expect(listed.headers.get('x-ratelimit-remaining')).toBe('44');
  });

  it('two processes over one database share the credit window and never overspend it', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const extra = { JOOR_SANDBOX_SEED_STYLES: '3', JOOR_SANDBOX_CREDITS_PER_WINDOW: '30', JOOR_SANDBOX_WINDOW_SECONDS: '600' };
    await sandbox?.stop();
    sandbox = ServiceProcess.start('joor-sandbox', testProcessEnv('joor-sandbox', { databaseUrl: db.url, queuePrefix: 'unused', port: portA, extra }), portA);
    second = ServiceProcess.start('joor-sandbox', testProcessEnv('joor-sandbox', { databaseUrl: db.url, queuePrefix: 'unused', port: portB, extra }), portB);
    await Promise.all([sandbox.ready(), second.ready()]);
    await fetch(`${sandbox.url}/_sandbox/credits`, { method: 'DELETE' });
    const accountId = ((await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as { accountId: string }).accountId;
    const config = loadJoorSandboxConfig({});
    const [a, b] = [new JoorRaw({ url: sandbox.url, accountId, config }), new JoorRaw({ url: second.url, accountId, config })];
    const token = await a.token();
    const answers = await Promise.all(Array.from({ length: 44 }, (_, i) => (i % 2 ? a : b).v4('GET', '/seasons', undefined, {}, token)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(30);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(14);
  });
});
