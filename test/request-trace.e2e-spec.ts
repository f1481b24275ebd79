import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DEV_DEFAULTS } from '@app/common';
import { runMigrations } from '@app/persistence';
import { testServices } from '@app/testing';
import { freePort } from '@app/util';
import { AMC_TOKEN, amcSandboxEnv, clearRedisPrefix, createBenchDatabase, http, JOOR_CREDS, joorSandboxEnv, Proc, sleep } from '../scripts/bench-kit';
import { demoConnectionBody } from '../scripts/demo-connection';

/**
 * One manual catalog trigger followed through the logs and the traces, as an operator would: the
 * gateway and catalog-sync as processes (JSON lines at debug; OpenTelemetry on through the standard
 * OTEL_* variables, exporting OTLP/JSON to a receiver in this test that keeps the spans in memory)
 * against both sandboxes. The request's id, sent as `x-request-id`, is on the gateway's request
 * line, in the job, and on every line catalog-sync writes while it runs that job (with the
 * connection, run, job, queue and job name), JOOR's calls included, without any call site passing
 * them; and one trace runs from the gateway's request through the queue to the JOOR calls.
 */
type Line = Record<string, unknown> & { service: string };

/** One span as OTLP/JSON carries it, flattened. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  /** Nanoseconds since the epoch, as OTLP sends it (a decimal string). */
  start: string;
  attributes: Record<string, string | number | boolean>;
}

/** An OTLP/JSON attribute value: text, a number (ints come as text), or a flag. */
function otlpValue(value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean } | undefined): string | number | boolean {
  if (value?.stringValue !== undefined) return value.stringValue;
  if (value?.intValue !== undefined) return Number(value.intValue);
  if (value?.doubleValue !== undefined) return value.doubleValue;
  return value?.boolValue ?? '';
}

/** An OTLP/HTTP receiver (JSON) keeping every span it is sent. */
async function otlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close: () => Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/v1/traces')) {
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { resourceSpans?: any[] };
        for (const rs of body.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '?';
          for (const ss of rs.scopeSpans ?? []) {
            for (const span of ss.spans ?? []) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((a: any) => [a.key, otlpValue(a.value)]));
              spans.push({
                service,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                kind: span.kind,
                start: String(span.startTimeUnixNano),
                attributes,
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a manual trigger followed through the logs (request id → run → job → JOOR calls)', () => {
  let db: Awaited<ReturnType<typeof createBenchDatabase>>;
  const procs: Proc[] = [];
  const lines: Line[] = [];
  const prefix = `trace-${randomBytes(3).toString('hex')}`;
  let gatewayUrl = '';
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;

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
    receiver = await otlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' };
    const env = { NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: 'debug', DATABASE_URL: db.dbUrl, REDIS_URL: db.redisUrl, QUEUE_PREFIX: prefix, ...otel };
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
    await receiver?.close();
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

  it('traces the same trigger in one trace: the gateway request, the job through the queue, catalog-sync, its JOOR calls (credits, connection id)', async () => {
    const connectionId = (globalThis as { connectionId?: string }).connectionId!;
    const accepted = await api('POST', `/connections/${connectionId}/sync/styles`, { styleNumbers: ['none-such'] });
    expect(accepted.status).toBe(202);
    const runId = accepted.json.runId as string;
    let status = '';
    for (const deadline = Date.now() + 90_000; Date.now() < deadline && !['succeeded', 'partial', 'failed'].includes(status); await sleep(500)) {
      status = (await api('GET', `/runs/${runId}`)).json.status;
    }
    // The span processors export in batches (every 200 ms here).
    let trace: ReceivedSpan[] = [];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(300)) {
      const consumer = receiver.spans.find((sp) => sp.service === 'catalog-sync' && sp.attributes['amcjoor.run_id'] === runId);
      trace = consumer ? receiver.spans.filter((sp) => sp.traceId === consumer.traceId) : [];
      if (trace.some((sp) => sp.name.startsWith('JOOR ')) && trace.some((sp) => sp.service === 'gateway')) break;
    }
    const byId = new Map(trace.map((sp) => [sp.spanId, sp]));
    const root = trace.find((sp) => !byId.has(sp.parentSpanId))!;
    expect(root).toMatchObject({ service: 'gateway', kind: 2 }); // SERVER: the POST that asked for it
    expect(String(root.attributes['url.path'] ?? root.attributes['http.target'] ?? '')).toContain(`/connections/${connectionId}/sync/styles`);
    const consumer = trace.find((sp) => sp.service === 'catalog-sync' && sp.attributes['amcjoor.run_id'] === runId)!;
    expect(consumer.attributes).toMatchObject({ 'amcjoor.connection_id': connectionId, 'amcjoor.sync_kind': 'styles', 'joor.credits': expect.any(Number) });
    const joorCalls = trace.filter((sp) => sp.name.startsWith('JOOR '));
    expect(joorCalls.length).toBeGreaterThan(0);
    for (const call of joorCalls) {
      expect(call.attributes).toMatchObject({ 'joor.credits': expect.any(Number), 'http.response.status_code': 200 });
      // Its HTTP request to the JOOR sandbox is a child span (undici's).
      expect(trace.some((sp) => sp.parentSpanId === call.spanId && sp.kind === 3)).toBe(true);
    }
    // Every span descends from the gateway's request.
    for (const sp of trace) {
      let at: ReceivedSpan | undefined = sp;
      while (at && at !== root) at = byId.get(at.parentSpanId);
      expect(at).toBe(root);
    }
    // AMC takes its token in the query string: no span of either service keeps it.
    expect(receiver.spans.some((sp) => sp.service === 'catalog-sync' && String(sp.attributes['url.full'] ?? '').includes('token=[REDACTED]'))).toBe(true);
    expect(receiver.spans.filter((sp) => JSON.stringify(sp).includes(AMC_TOKEN)).map((sp) => `${sp.service} ${sp.name} ${JSON.stringify(sp.attributes)}`)).toEqual([]);

    const children = (id: string) => trace.filter((sp) => sp.parentSpanId === id).sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
    const show = (sp: ReceivedSpan, depth: number): string[] => {
      const notable = Object.entries(sp.attributes).filter(([k]) => /^(amcjoor|joor)\.|status_code|url.path|db.operation|messaging/.test(k));
      const line = `${'  '.repeat(depth)}${sp.service}: ${sp.name}${notable.length ? ` ${JSON.stringify(Object.fromEntries(notable))}` : ''}`;
      return [line, ...children(sp.spanId).flatMap((c) => show(c, depth + 1))];
    };
    console.log(`trace ${root.traceId}: ${trace.length} spans\n${show(root, 0).join('\n')}`);
  }, 120_000);
});
