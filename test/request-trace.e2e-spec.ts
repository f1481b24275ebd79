import { randomBytes } from 'node:crypto';
import { DEV_DEFAULTS } from '@app/common';
import { runMigrations } from '@app/persistence';
import { testServices } from '@app/testing';
import { freePort } from '@app/util';
import { AMC_TOKEN, amcSandboxEnv, clearRedisPrefix, createBenchDatabase, http, JOOR_CREDS, joorSandboxEnv, Proc, sleep } from '../scripts/bench-kit';
import { demoConnectionBody } from '../scripts/demo-connection';

/**
 * One manual catalog trigger followed through the logs, as an operator would: the gateway and
 * catalog-sync as processes (JSON lines at debug) against both sandboxes. The request's id, sent
 * as `x-request-id`, is on the gateway's request line, in the job, and on every line catalog-sync
 * writes while it runs that job (with the connection, run, job, queue and job name), JOOR's calls
 * included, without any call site passing them.
 */
type Line = Record<string, unknown> & { service: string };

describe('a manual trigger followed through the logs (request id → run → job → JOOR calls)', () => {
  let db: Awaited<ReturnType<typeof createBenchDatabase>>;
  const procs: Proc[] = [];
  const lines: Line[] = [];
  const prefix = `trace-${randomBytes(3).toString('hex')}`;
  let gatewayUrl = '';

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { 'x-api-key': DEV_DEFAULTS.GATEWAY_API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    const services = testServices();
    process.env.DATABASE_URL = services.adminDatabaseUrl;
    process.env.REDIS_URL = services.redisUrl;
    db = await createBenchDatabase('trace');
    await runMigrations(db.dbUrl);
    const amc = new Proc('amc-sandbox', amcSandboxEnv(db.dbUrl, db.redisUrl), await freePort());
    const joor = new Proc('joor-sandbox', joorSandboxEnv(db.dbUrl, db.redisUrl, { credits: 300, seconds: 300 }), await freePort());
    procs.push(amc, joor);
    await Promise.all([amc.ready(), joor.ready()]);
    const seed = { styles: 4, seed: 5, customers: 1, orders: 1 };
    await Promise.all([http('POST', `${amc.url}/_sandbox/seed`, seed), http('POST', `${joor.url}/_sandbox/seed`, seed)]);
    const env = { NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: 'debug', DATABASE_URL: db.dbUrl, REDIS_URL: db.redisUrl, QUEUE_PREFIX: prefix };
    const gateway = new Proc('gateway', env, await freePort());
    const catalog = new Proc('catalog-sync', env, await freePort());
    procs.push(gateway, catalog);
    for (const proc of [gateway, catalog]) {
      proc.child.stdout?.on('data', (chunk: Buffer) => {
        for (const text of chunk.toString().split('\n').filter(Boolean)) {
          try {
            lines.push({ ...(JSON.parse(text) as Record<string, unknown>), service: proc.name });
          } catch {
            lines.push({ service: proc.name, notJson: text });
          }
        }
      });
    }
    await Promise.all([gateway.ready(), catalog.ready()]);
    gatewayUrl = gateway.url;
    const body = demoConnectionBody({ styles: 4, seed: 5, amcUrl: amc.url, joorUrl: joor.url, amcToken: AMC_TOKEN, joor: JOOR_CREDS });
    // Its schedules fire once at creation: slowed, and that first run left to end, so the trigger below runs alone.
    body.settings = { ...(body.settings as object), catalogSyncMinutes: 1440 };
    const created = await api('POST', '/connections', body);
    expect(created.status).toBe(201);
    const connectionId = created.json.id as string;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(500)) {
      const runs = (await api('GET', `/connections/${connectionId}/runs`)).json.items as Array<{ status: string }>;
      if (runs.length > 0 && runs.every((r) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(r.status))) break;
    }
    // Two more styles in AMC since: the traced run has something to write to JOOR.
    await http('POST', `${amc.url}/_sandbox/seed`, { ...seed, styles: 6 });
    (globalThis as { connectionId?: string }).connectionId = connectionId;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await clearRedisPrefix(db.redisUrl, prefix).catch(() => undefined);
    await db?.drop();
  }, 60_000);

  it("carries the request's id from the gateway's line to the job's lines, run and job ids on each", async () => {
    const connectionId = (globalThis as { connectionId?: string }).connectionId!;
    const requestId = `trace-${randomBytes(4).toString('hex')}`;
    const accepted = await api('POST', `/connections/${connectionId}/sync/styles`, { full: true }, { 'x-request-id': requestId });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('x-request-id')).toBe(requestId);
    const runId = accepted.json.runId as string;
    let status = '';
    for (const deadline = Date.now() + 90_000; Date.now() < deadline && !['succeeded', 'partial', 'failed'].includes(status); await sleep(500)) {
      status = (await api('GET', `/runs/${runId}`)).json.status;
    }
    expect(['succeeded', 'partial']).toContain(status);
    await sleep(500);

    const traced = lines.filter((l) => l.requestId === requestId);
    const request = traced.find((l) => l.service === 'gateway' && l.status === 202);
    expect(request).toMatchObject({ level: 'info', method: 'POST', route: '/connections/:id/sync/:kind', durationMs: expect.any(Number) });
    const job = traced.filter((l) => l.service === 'catalog-sync');
    const jobContext = { connectionId, runId, jobId: `run-${runId}`, queue: 'catalog-sync', jobName: 'catalog.sync' };
    expect(job.length).toBeGreaterThan(3);
    for (const line of job) expect(line).toMatchObject(jobContext);
    expect(job.map((l) => l.msg)).toEqual(expect.arrayContaining(['styles run started', 'run finished']));
    const joorCalls = job.filter((l) => l.context === 'JOOR');
    expect(joorCalls.filter((l) => l.method === 'POST').length).toBeGreaterThan(0);
    for (const call of joorCalls)
      expect(call).toMatchObject({ method: expect.any(String), path: expect.stringMatching(/^\//), status: expect.any(Number), credits: expect.any(Number), durationMs: expect.any(Number) });
    expect(job.some((l) => l.context === 'AMC')).toBe(true);
    // No line of the whole run is a bare print, and none carries a secret.
    expect(lines.filter((l) => 'notJson' in l)).toEqual([]);
    const all = JSON.stringify(lines);
    for (const secret of [JOOR_CREDS.clientSecret, JOOR_CREDS.password, JOOR_CREDS.v2Token, AMC_TOKEN]) expect(all).not.toContain(secret);

    const show = (l: Line) => {
      const { time, service, level, msg, requestId: _r, connectionId: _c, ...rest } = l;
      return `${String(time).slice(11, 23)} ${service.padEnd(12)} ${String(level).padEnd(5)} ${msg} ${JSON.stringify(rest)}`;
    };
    console.log(`request ${requestId}: ${traced.length} lines (gateway 1, catalog-sync ${job.length}, of them ${joorCalls.length} JOOR calls)\n${traced.map(show).join('\n')}`);
  }, 120_000);
});
