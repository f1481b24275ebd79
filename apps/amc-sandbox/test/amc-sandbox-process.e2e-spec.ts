import { ServiceProcess, createTestDatabase, freePort, testProcessEnv, type TestDatabase } from '@app/testing';

/** The built sandbox as its own process: config from the environment, seed at boot, clean stop. */
describe('amc-sandbox process', () => {
  let db: TestDatabase;
  let proc: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('amc_sandbox_proc', { migrate: false });
  });

  afterAll(async () => {
    await proc?.stop('SIGKILL');
    await db?.drop();
  });

  it('seeds an empty schema at boot, serves with the configured token, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    proc = ServiceProcess.start(
      'amc-sandbox',
      testProcessEnv('amc-sandbox', {
        databaseUrl: db.url,
        queuePrefix: 'unused',
        port,
        extra: { AMC_SANDBOX_TOKEN: 'process-token-1', AMC_SANDBOX_SEED_STYLES: '3', AMC_SANDBOX_PAGING: 'page_number' },
      }),
      port,
    );
    await proc.ready();
    const state = (await (await fetch(`${proc.url}/_sandbox/state`)).json()) as { counts: Record<string, number>; settings: { paging: string } };
    expect(state.counts.products).toBe(3);
    expect(state.settings.paging).toBe('page_number');
    const res = await fetch(`${proc.url}/api/json/products?token=process-token-1&time=${Math.floor(Date.now() / 1000)}`);
    const body = (await res.json()) as { response: unknown[]; meta: { pagination: Record<string, number> } };
    expect(body.response).toHaveLength(3);
    expect(body.meta.pagination).toEqual({ total_pages: 1, current_page: 1, number_records_returned: 3 });
    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('refuses to start on a bad sandbox setting, naming it', async () => {
    const port = await freePort();
    const bad = ServiceProcess.start('amc-sandbox', testProcessEnv('amc-sandbox', { databaseUrl: db.url, queuePrefix: 'unused', port, extra: { AMC_SANDBOX_PAGING: 'cursor' } }), port);
    const exit = await bad.exited();
    expect(exit.code).toBe(1);
    expect(bad.output.join('\n')).toContain('AMC_SANDBOX_PAGING must be one of last_id, page_number');
  });
});
