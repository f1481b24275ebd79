import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, fuzzRequests, judgeAnswer, TEST_API_KEY, TEST_BOARD_PASSWORD, testConfig, testQueuePrefix, type FuzzRequest, type TestDatabase } from '@app/testing';
import { startGateway } from '../apps/gateway/test/gateway-app';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 1200);
const AT_ONCE = 8;
const SECRETS = { amcToken: 'amc-fuzz-SECRET-5151', clientSecret: 'joor-fuzz-SECRET-6262', password: 'joor-fuzz-SECRET-7373', v2Token: 'joor-fuzz-SECRET-8484' };

/** The hostile-input part of the chaos issue, short enough for `npm test`: the gateway in-process, real PostgreSQL and Redis. */
describe(`gateway under hostile input (${COUNT} requests, seed ${SEED}; FUZZ_SEED / FUZZ_REQUESTS replay or widen it)`, () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  let logs: string[];

  beforeAll(async () => {
    db = await createTestDatabase('gateway_fuzz');
    ({ app, url, logs } = await startGateway(testConfig('gateway', { databaseUrl: db.url, queuePrefix: testQueuePrefix('gateway-fuzz') })));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers no 5xx, names the problem in every 4xx, echoes no secret, logs no secret, and stays ready', async () => {
    const headers = { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' };
    const created = await fetch(`${url}/connections`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'fuzz target',
        amc: { baseUrl: 'http://127.0.0.1:9/api/json', token: SECRETS.amcToken },
        joor: {
          v2BaseUrl: 'http://127.0.0.1:9/v2',
          v4BaseUrl: 'http://127.0.0.1:9/v4',
          authUrl: 'http://127.0.0.1:9/auth/',
          accountId: '1001',
          clientId: 'client-1',
          clientSecret: SECRETS.clientSecret,
          username: 'brand@example.com',
          password: SECRETS.password,
          v2Token: SECRETS.v2Token,
        },
        settings: { joorWarehouseName: 'Main', defaultCurrency: 'USD' },
      }),
    });
    expect(created.status).toBe(201);
    const connectionId = ((await created.json()) as { id: string }).id;
    const triggered = await fetch(`${url}/connections/${connectionId}/sync/orders`, { method: 'POST', headers, body: '{}' });
    expect(triggered.status).toBe(202);
    const runId = ((await triggered.json()) as { runId: string }).runId;

    const secrets = [...Object.values(SECRETS), TEST_API_KEY, TEST_BOARD_PASSWORD];
    const failures: string[] = [];
    const table = new Map<string, Map<number, number>>();
    const send = async (req: FuzzRequest) => {
      let res: Response;
      try {
        res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body });
      } catch (err) {
        failures.push(`${req.kind}: ${req.method} ${req.path.slice(0, 120)} got no answer: ${(err as Error).message} (${String((err as Error).cause)})`);
        return;
      }
      const body = await res.text();
      const row = table.get(req.kind) ?? new Map<number, number>();
      row.set(res.status, (row.get(res.status) ?? 0) + 1);
      table.set(req.kind, row);
      const verdict = judgeAnswer(req, res.status, body, secrets);
      if (!verdict.ok) failures.push(`${req.kind}: ${req.method} ${req.path.slice(0, 120)} ${verdict.problem} (body sent: ${String(req.body ?? '').slice(0, 300)})`);
    };
    let sent = 0;
    let batch: Array<Promise<void>> = [];
    for (const req of fuzzRequests(SEED, COUNT, { apiKey: TEST_API_KEY, connectionId, runId })) {
      batch.push(send(req));
      sent++;
      if (batch.length === AT_ONCE) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);

    const summary = [...table].map(
      ([kind, statuses]) =>
        `${kind.padEnd(32)} ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    );
    console.log(`gateway fuzz, ${sent} requests (seed ${SEED}):\n${summary.join('\n')}`);
    if (failures.length > 0)
      console.log(
        logs
          .filter((l) => /"level":"error"/.test(l) && !/PayloadTooLarge|BadRequest|NotFound/.test(l))
          .map((l) => l.slice(0, 600))
          .slice(0, 5)
          .join('\n'),
      );
    expect(sent).toBe(COUNT);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(table.size).toBeGreaterThanOrEqual(12);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    // A client's mistakes are not the gateway failing: nothing at error level, no stack.
    expect(logs.filter((line) => /"level":"error"|"stack"/.test(line)).map((line) => line.slice(0, 200))).toEqual([]);
    // What the gateway logged while it was attacked carries none of the connection's secrets, nor the key.
    expect(logs.filter((line) => secrets.some((s) => line.includes(s)))).toEqual([]);
  });
  it('what it found: a NUL character in any text, and null for a schedule setting, are 400s naming the field (they were 500s)', async () => {
    const headers = { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' };
    const nul = await fetch(`${url}/connections`, { method: 'POST', headers, body: JSON.stringify({ name: 'bad\u0000name', joor: { accountId: '\u0000' } }) });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { message: string }).message).toMatch(/name, joor\.accountId must not contain the NUL character/);
    const list = (await (await fetch(`${url}/connections`, { headers })).json()) as { items?: Array<{ id: string }> } | Array<{ id: string }>;
    const id = (Array.isArray(list) ? list : (list.items ?? []))[0]?.id;
    expect(id).toBeDefined();
    for (const setting of ['inventoryPollSeconds', 'customerSyncMinutes', 'orderPollMinutes', 'catalogSyncMinutes', 'syncImages', 'stockField']) {
      const res = await fetch(`${url}/connections/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ settings: { [setting]: null } }) });
      expect([setting, res.status]).toEqual([setting, 400]);
      expect(((await res.json()) as { message: string }).message).toContain(`settings.${setting}`);
    }
    expect((await fetch(`${url}/connections/${id}/schedules`, { headers })).status).toBe(200);
  });
});
