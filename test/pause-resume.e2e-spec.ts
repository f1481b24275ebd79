import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYNC_KIND_JOBS, isFinalRunStatus, jobIds } from '@app/contracts';
import { JobProducer } from '@app/common';
import type { SyncRunEntity } from '@app/persistence';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { JOOR_SANDBOX_DEV_CREDENTIALS } from '@app/testing/joor-sandbox-harness';
import { SandboxKitClient, TEST_API_KEY, followSse, testConfig, waitFor } from '@app/testing';
import { actualCatalog, expectedCatalog, startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';
import { startGateway } from '../apps/gateway/test/gateway-app';

const SEED = { styles: 40, seed: 3 };
/**
 * The batch: a page of 5 styles (CATALOG_STYLES_PER_PAGE), and JOOR bulk calls of 10 items, so the
 * styles of a page are settled (and counted) within a page or two and a run has many boundaries.
 */
const TUNING = { stylesPerPage: 5, bulkMax: 10 };
/**
 * Every JOOR write answers 100 ms later. A page of these styles sends dozens of bulk calls of 10,
 * so a run is surely still going, with pages to go, when the test pauses it after its first styles
 * were sent; the bounds below count pages, not time.
 */
const SLOW_WRITES = { rules: [{ path: '/v4', method: 'POST', kinds: ['slow' as const], rate: 1 }], slowMs: 100 };
const KEY = { 'x-api-key': TEST_API_KEY };

describe('pausing, resuming and deleting a connection (gateway, catalog-sync, both sandboxes, mesh events)', () => {
  jest.setTimeout(180_000);
  let stack: CatalogStack;
  let gateway: INestApplication;
  let url: string;
  let joorKit: SandboxKitClient;
  let amcKit: SandboxKitClient;
  let brand: Brand;
  let dataSource: DataSource;

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  function connectionBody(name: string) {
    return {
      name,
      amc: { baseUrl: stack.amc.url, token: stack.amc.token },
      joor: {
        v2BaseUrl: `${stack.joor.url}/v2`,
        v4BaseUrl: `${stack.joor.url}/v4`,
        authUrl: `${stack.joor.url}/auth/`,
        accountId: stack.joor.accountId,
        clientId: JOOR_SANDBOX_DEV_CREDENTIALS.clientId,
        clientSecret: JOOR_SANDBOX_DEV_CREDENTIALS.clientSecret,
        username: JOOR_SANDBOX_DEV_CREDENTIALS.username,
        password: JOOR_SANDBOX_DEV_CREDENTIALS.password,
        v2Token: stack.joor.config.v2Token,
      },
      settings: { defaultCurrency: 'USD' },
    };
  }

  const runsOf = (connectionId: string): Promise<SyncRunEntity[]> => stack.recorder.listForConnection(connectionId, { limit: 200, offset: 0 }).then((page) => page.items);

  /** Until the run is running and has sent some styles to JOOR (and recorded them; a style that failed on its own data counts as done too, but writes nothing). */
  const waitUnderway = (runId: string) =>
    waitFor(
      `run ${runId} to be under way`,
      async () => {
        const run = await stack.recorder.findById(runId);
        return run?.status === 'running' && run.countCreated + run.countUpdated > 0 ? run : null;
      },
      60_000,
      20,
    );

  /** AMC pages of styles (the batches of a full run) asked for after `since` (epoch ms, the sandbox runs in this process). */
  async function stylePagesAfter(since: number): Promise<number> {
    const { calls } = await amcKit.calls({ limit: 10_000 });
    return calls.filter((c) => c.method === 'GET' && /\/products$/.test(c.path) && Date.parse(c.at) >= since).length;
  }

  async function linksOf(connectionId: string): Promise<number> {
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM entity_link WHERE connection_id = $1`, [connectionId]);
    return n;
  }

  async function expectCatalogComplete(): Promise<void> {
    const actual = await actualCatalog(stack.joor, brand);
    const expected = expectedCatalog(brand);
    expect(actual.products).toEqual(expected.products);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    expect(actual.collections).toEqual(expected.collections);
  }

  /** The run was cancelled with what it had done on its record. */
  function expectCountsKept(run: SyncRunEntity): void {
    expect(run.status).toBe('cancelled');
    expect(run.finishedAt).not.toBeNull();
    expect(run.progressDone).toBeGreaterThan(0);
    expect(run.progressDone).toBeLessThan(run.progressTotal!);
    expect(run.countCreated + run.countUpdated + run.countUnchanged + run.countFailed).toBe(run.progressDone);
    expect(run.creditsSpent).toBeGreaterThan(0);
    expect(run.error).toBeNull();
  }

  beforeAll(async () => {
    stack = await startCatalogStack('pause', SEED, { tuning: TUNING });
    const started = await startGateway(testConfig('gateway', { databaseUrl: stack.db.url, queuePrefix: stack.queuePrefix }));
    gateway = started.app;
    url = started.url;
    joorKit = new SandboxKitClient(stack.joor.url);
    amcKit = new SandboxKitClient(stack.amc.url);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    dataSource = stack.app.get(DataSource);
  });

  afterAll(async () => {
    await joorKit?.clearFaults().catch(() => undefined);
    await gateway?.close();
    await stack?.close();
  });

  describe('a connection whose schedule is syncing the catalog', () => {
    let connectionId: string;
    let waitingRunId: string;

    it('pausing it ends the running run `cancelled` at its next batch boundary with its counts kept; its schedules stop and its queued jobs wait', async () => {
      await joorKit.setFaults(SLOW_WRITES);
      const created = await api('POST', '/connections', connectionBody('paused-by-schedule'));
      expect(created.status).toBe(201);
      connectionId = created.body.id;
      // A job scheduler fires at once when it is set: the first (full) catalog run starts now.
      const scheduled = await waitFor('the scheduled run', async () => (await runsOf(connectionId)).find((r) => r.kind === 'styles' && r.trigger === 'schedule'));
      await waitUnderway(scheduled.id);

      const stream = await followSse(`${url}/connections/${connectionId}/stream`, KEY);
      await stream.next((m) => m.type === 'state', 'the connection state');
      const paused = await api('POST', `/connections/${connectionId}/pause`);
      const acknowledgedAt = Date.now();
      expect(paused.status).toBe(200);
      expect(paused.body.pausedAt).toEqual(expect.any(String));

      const run = await stack.waitRun(scheduled.id, 60_000);
      expectCountsKept(run);
      expect(run.details).toMatchObject({ cancelled: 'connection paused' });
      // A scheduled run does not go on by itself: its schedule does, once resumed.
      expect(run.details).not.toHaveProperty('resumedBy');
      // The bound is the batch: once the pause was acknowledged, the run read at most the one page of styles it may have been asking for then.
      expect(await stylePagesAfter(acknowledgedAt)).toBeLessThanOrEqual(1);
      const [cancelEvent] = await dataSource.query(`SELECT level, reason FROM sync_event WHERE run_id = $1 AND reason LIKE 'The run was cancelled%'`, [run.id]);
      expect(cancelEvent).toMatchObject({ level: 'info', reason: expect.stringContaining(`after ${run.progressDone} of ${run.progressTotal}`) });
      expect(await linksOf(connectionId)).toBeGreaterThan(0);

      const heard = await stream.next((m) => m.type === 'run.finished' && m.runId === run.id, 'the run’s end on the connection stream');
      expect(heard).toMatchObject({ status: 'cancelled', done: run.progressDone, credits: run.creditsSpent });
      expect(stream.messages.map((m) => m.type)).toContain('connection.paused');
      stream.close();

      const schedules = await api('GET', `/connections/${connectionId}/schedules`);
      expect(schedules.body).toEqual({
        styles: { everyMs: null, next: null },
        orders: { everyMs: null, next: null },
        inventory: { everyMs: null, next: null },
        customers: { everyMs: null, next: null },
      });
      expect((await api('GET', `/connections/${connectionId}`)).body.pausedAt).toBe(paused.body.pausedAt);

      // A job queued now waits: the worker takes it and puts it back, its run `queued`.
      const triggered = await api('POST', `/connections/${connectionId}/sync/styles`, { full: true });
      expect(triggered.status).toBe(202);
      waitingRunId = triggered.body.runId;
      const waiting = await waitFor('the new run to wait for the resume', async () => {
        const found = await stack.recorder.findById(waitingRunId);
        return found?.details.waiting === 'connection paused' ? found : null;
      });
      expect(waiting).toMatchObject({ status: 'queued', startedAt: null });
      expect(await (await stack.queue.getJob(jobIds.run(waitingRunId)))?.isDelayed()).toBe(true);
    });

    it('resuming it brings its schedules back and lets its jobs go: the runs that follow leave the catalog as a clean run does', async () => {
      await joorKit.clearFaults();
      const resumedAt = new Date();
      const resumed = await api('POST', `/connections/${connectionId}/resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.body.pausedAt).toBeNull();
      const schedules = await api('GET', `/connections/${connectionId}/schedules`);
      expect(schedules.body).toMatchObject({ styles: { everyMs: 10 * 60_000 }, orders: { everyMs: 15 * 60_000 } });

      const manual = await stack.waitRun(waitingRunId, 100_000);
      expect(manual.status).toBe('partial');
      expect(manual.progressDone).toBe(manual.progressTotal);
      // The schedule fired at once when it came back (it ran, or found the manual run going and stood aside).
      const after = await waitFor('every run to end', async () => {
        const runs = (await runsOf(connectionId)).filter((r) => r.kind === 'styles');
        return runs.some((r) => r.trigger === 'schedule' && r.queuedAt >= resumedAt) && runs.every((r) => isFinalRunStatus(r.status)) ? runs : null;
      });
      expect(after.filter((r) => r.status === 'cancelled')).toHaveLength(1);
      await expectCatalogComplete();
    });
  });

  it('a pause whose event was lost still stops a manual run at its next batch boundary; the run goes on as a new run when the connection is resumed', async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 }); // an empty JOOR catalog again
    await joorKit.setFaults(SLOW_WRITES);
    const connectionId = await stack.connect('paused-unheard');
    const triggered = await api('POST', `/connections/${connectionId}/sync/styles`, { full: true });
    await waitUnderway(triggered.body.runId);

    // Straight to the row, as a gateway whose event never reached catalog-sync: only the database says so.
    await stack.connections.pause(connectionId);
    const pausedAt = Date.now();
    const first = await stack.waitRun(triggered.body.runId, 60_000);
    expectCountsKept(first);
    expect(await stylePagesAfter(pausedAt)).toBeLessThanOrEqual(1);
    expect(first.details).toMatchObject({ cancelled: 'connection paused', resumedBy: expect.any(String) });
    const next = await waitFor('the run that goes on to wait', async () => {
      const found = await stack.recorder.findById(first.details.resumedBy as string);
      return found?.details.waiting === 'connection paused' ? found : null;
    });
    expect(next).toMatchObject({ status: 'queued', trigger: 'manual', details: { resumedFrom: first.id, full: true } });

    await joorKit.clearFaults();
    expect((await api('POST', `/connections/${connectionId}/resume`)).status).toBe(200);
    const second = await stack.waitRun(next.id, 100_000);
    expect(second.status).toBe('partial');
    expect(second.progressDone).toBe(second.progressTotal);
    await waitFor('every run to end', async () => (await runsOf(connectionId)).every((r) => isFinalRunStatus(r.status)));
    await expectCatalogComplete();
  });

  it('deleting a connection stops its running sync, then removes its runs, links, schedules and jobs', async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    await joorKit.setFaults(SLOW_WRITES);
    // A JOOR account belongs to one connection: the earlier tests' connections go first (through the API, as an operator would).
    for (const earlier of (await api('GET', '/connections')).body as Array<{ id: string }>) expect((await api('DELETE', `/connections/${earlier.id}`)).status).toBe(204);
    const created = await api('POST', '/connections', connectionBody('deleted-while-syncing'));
    const connectionId: string = created.body.id;
    const run = await waitFor('the scheduled run', async () => (await runsOf(connectionId)).find((r) => r.kind === 'styles'));
    await waitUnderway(run.id);
    const runStream = await followSse(`${url}/runs/${run.id}/stream`, KEY);
    const connectionStream = await followSse(`${url}/connections/${connectionId}/stream`, KEY);
    await runStream.next((m) => m.type === 'state', 'the run state');
    await connectionStream.next((m) => m.type === 'state', 'the connection state');

    expect((await api('DELETE', `/connections/${connectionId}`)).status).toBe(204);
    await joorKit.clearFaults();

    // The run ended `cancelled` before its rows went, and both streams ended.
    const runMessages = await runStream.end();
    expect(runMessages.at(-1)).toMatchObject({ type: 'run.finished', runId: run.id, status: 'cancelled' });
    expect((await connectionStream.end()).at(-1)).toMatchObject({ type: 'connection.deleted', connectionId });

    expect((await api('GET', `/connections/${connectionId}`)).status).toBe(404);
    expect((await api('GET', `/runs/${run.id}`)).status).toBe(404);
    for (const table of ['sync_run', 'sync_event', 'entity_link', 'sync_cursor', 'sync_due', 'order_ledger']) {
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [connectionId]);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
    const producer = gateway.get(JobProducer);
    for (const kind of ['styles', 'orders'] as const) expect(await producer.queue(SYNC_KIND_JOBS[kind].queue).getJobScheduler(jobIds.schedule(kind, connectionId))).toBeFalsy();
    await waitFor('no job of the connection left in the catalog queue', async () => {
      const jobs = await stack.queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']);
      return jobs.every((job) => job.data.connectionId !== connectionId);
    });
  });
});
