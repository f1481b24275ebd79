import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { jobIds } from '@app/contracts';
import { ConnectionRepository } from '@app/persistence';
import { TEST_API_KEY, TEST_BOARD_PASSWORD, TEST_BOARD_USER, createTestDatabase, testConfig, testQueuePrefix, type TestDatabase } from '@app/testing';
import { startGateway } from './gateway-app';

const SECRETS = {
  amcToken: 'amc-token-SECRET-1111',
  clientSecret: 'joor-client-SECRET-2222',
  password: 'joor-password-SECRET-3333',
  v2Token: 'joor-v2-SECRET-4444',
};

/** Each connection its own JOOR account (one connection per account), named after it unless given. */
function connectionBody(name: string, accountId = `acct-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`) {
  return {
    name,
    amc: { baseUrl: 'http://127.0.0.1:4001/api/json', token: SECRETS.amcToken },
    joor: {
      v2BaseUrl: 'http://127.0.0.1:4002/v2',
      v4BaseUrl: 'http://127.0.0.1:4002/v4',
      authUrl: 'http://127.0.0.1:4002/auth/',
      accountId,
      clientId: 'client-1',
      clientSecret: SECRETS.clientSecret,
      username: 'brand@example.com',
      password: SECRETS.password,
      v2Token: SECRETS.v2Token,
    },
    settings: { joorWarehouseName: 'Main', defaultCurrency: 'USD' },
  };
}

describe('gateway (e2e)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let logs: string[];
  const api = () => request(app.getHttpServer());
  const authed = (req: request.Test) => req.set('x-api-key', TEST_API_KEY);

  beforeAll(async () => {
    db = await createTestDatabase('gateway');
    ({ app, logs } = await startGateway(testConfig('gateway', { databaseUrl: db.url, queuePrefix: testQueuePrefix('gateway') })));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe('API key', () => {
    it('answers 401 without the key or with a wrong one', async () => {
      await api().get('/connections').expect(401);
      await api().get('/connections').set('x-api-key', 'wrong').expect(401);
      await authed(api().get('/connections')).expect(200);
    });

    it('leaves health, metrics and docs open', async () => {
      await api().get('/health/live').expect(200);
      await api().get('/health/ready').expect(200);
      // Reading the mesh's health is open (no probe has run here: 503 unknown); probing it is not.
      expect((await api().get('/health/mesh').expect(503)).body).toMatchObject({ status: 'unknown' });
      await api().post('/health/mesh').expect(401);
      const metrics = await api().get('/metrics').expect(200);
      expect(metrics.text).toContain('process_cpu_seconds_total');
      expect(metrics.text).toMatch(/amcjoor_queue_jobs\{[^}]*queue="order-ingest"/);
      const docs = await api().get('/docs').expect(200);
      expect(docs.text).toContain('swagger');
    });
  });

  describe('connections', () => {
    let id: string;

    it('rejects a bad body with 400 naming each bad field, unknown fields included', async () => {
      const body = connectionBody('');
      (body.amc as Record<string, unknown>).baseUrl = 'not a url';
      delete (body.joor as Record<string, unknown>).clientSecret;
      (body.settings as Record<string, unknown>).stockField = 'qty_magic';
      (body as Record<string, unknown>).surprise = true;
      const res = await authed(api().post('/connections').send(body)).expect(400);
      const fields = (res.body.fields as Array<{ field: string }>).map((f) => f.field).sort();
      expect(fields).toEqual(['amc.baseUrl', 'joor.clientSecret', 'name', 'settings.stockField', 'surprise']);
    });

    it('creates a connection, answering 201 without secrets and with default settings', async () => {
      const res = await authed(api().post('/connections').send(connectionBody('Acme', '1001'))).expect(201);
      id = res.body.id;
      for (const secret of Object.values(SECRETS)) expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(res.body).toMatchObject({
        name: 'Acme',
        amc: { baseUrl: 'http://127.0.0.1:4001/api/json' },
        joor: { accountId: '1001', clientId: 'client-1', username: 'brand@example.com' },
        settings: {
          stockField: 'qty_avail_sell',
          orderType: 'approved',
          orderPollMinutes: 15,
          syncImages: true,
          syncColorwaysAsProducts: false,
          joorWarehouseName: 'Main',
          defaultCurrency: 'USD',
        },
      });
    });

    it('keeps secrets encrypted in the database and out of the logs', async () => {
      const rows = await app.get(DataSource).query('SELECT * FROM connection WHERE id = $1', [id]);
      expect(rows).toHaveLength(1);
      const raw = JSON.stringify(rows[0]);
      for (const secret of Object.values(SECRETS)) expect(raw).not.toContain(secret);
      expect(rows[0].secrets_enc).toMatch(/^v1\./);
      const decrypted = await app.get(ConnectionRepository).findWithSecrets(id);
      expect(decrypted?.secrets).toEqual({ amcToken: SECRETS.amcToken, joorClientSecret: SECRETS.clientSecret, joorPassword: SECRETS.password, joorV2Token: SECRETS.v2Token });
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of Object.values(SECRETS)) expect(logs.join('\n')).not.toContain(secret);
    });

    it('lists and reads connections without secrets', async () => {
      const list = await authed(api().get('/connections')).expect(200);
      expect(list.body.map((c: { id: string }) => c.id)).toContain(id);
      const one = await authed(api().get(`/connections/${id}`)).expect(200);
      expect(one.body.name).toBe('Acme');
      for (const secret of Object.values(SECRETS)) expect(JSON.stringify([list.body, one.body])).not.toContain(secret);
    });

    it('patches settings by merging and rotates a secret', async () => {
      const res = await authed(
        api()
          .patch(`/connections/${id}`)
          .send({ settings: { orderPollMinutes: 30 }, amc: { token: 'rotated-token-5555' } }),
      ).expect(200);
      expect(res.body.settings).toMatchObject({ orderPollMinutes: 30, joorWarehouseName: 'Main', stockField: 'qty_avail_sell' });
      expect(JSON.stringify(res.body)).not.toContain('rotated-token-5555');
      const decrypted = await app.get(ConnectionRepository).findWithSecrets(id);
      expect(decrypted?.secrets.amcToken).toBe('rotated-token-5555');
      expect(decrypted?.secrets.joorPassword).toBe(SECRETS.password);
      await authed(
        api()
          .patch(`/connections/${id}`)
          .send({ settings: { orderPollMinutes: 1 } }),
      ).expect(400);
    });

    it('refuses plain http to a host outside CONNECTION_HTTP_HOSTS with a 400 and a plain reason, on create and on update', async () => {
      const body = connectionBody('Internal');
      body.amc.baseUrl = 'http://10.0.0.5:8080/api/json';
      body.joor.authUrl = 'http://169.254.169.254/auth/';
      const refused = await authed(api().post('/connections').send(body)).expect(400);
      expect(refused.body.message).toBe(
        'amc.baseUrl must use https: plain http is allowed only for the hosts in CONNECTION_HTTP_HOSTS; joor.authUrl must use https: plain http is allowed only for the hosts in CONNECTION_HTTP_HOSTS',
      );
      expect(refused.body.fields.map((f: { field: string }) => f.field)).toEqual(['amc.baseUrl', 'joor.authUrl']);
      for (const secret of Object.values(SECRETS)) expect(JSON.stringify(refused.body)).not.toContain(secret);
      expect((await authed(api().get('/connections')).expect(200)).body.map((c: { name: string }) => c.name)).not.toContain('Internal');

      // https to any host is taken; http to a listed host (the sandboxes, by default outside production) too.
      body.amc.baseUrl = 'https://internal.example.com/api/json';
      body.joor.authUrl = 'http://localhost:4002/auth/';
      const created = await authed(api().post('/connections').send(body)).expect(201);

      const patched = await authed(
        api()
          .patch(`/connections/${created.body.id}`)
          .send({ joor: { v4BaseUrl: 'http://metadata.internal/v4' } }),
      ).expect(400);
      expect(patched.body.message).toBe('joor.v4BaseUrl must use https: plain http is allowed only for the hosts in CONNECTION_HTTP_HOSTS');
      expect((await app.get(ConnectionRepository).findById(created.body.id))?.joorV4BaseUrl).toBe('http://127.0.0.1:4002/v4');
      await authed(api().delete(`/connections/${created.body.id}`)).expect(204);
    });

    it('answers 409 on a duplicate name, 400 on a malformed id, 404 on an unknown one', async () => {
      const taken = await authed(api().post('/connections').send(connectionBody('Acme', 'acct-new'))).expect(409);
      expect(taken.body.message).toMatch(/Acme/);
      await authed(api().get('/connections/not-a-uuid')).expect(400);
      await authed(api().get('/connections/00000000-0000-4000-8000-000000000000')).expect(404);
    });

    it('refuses a second connection on a JOOR account (create or update), naming the one that keeps it; once that one is gone the account is free', async () => {
      const refused = await authed(api().post('/connections').send(connectionBody('Acme Outlet', '1001'))).expect(409);
      expect(refused.body.message).toBe(
        `JOOR account 1001 is already kept by connection "Acme" (${id}); a JOOR account can belong to one connection only ` +
          "(two would overwrite each other's SKUs and linesheets and each create every order): delete that connection or change its JOOR account first",
      );
      expect((await authed(api().get('/connections')).expect(200)).body.map((c: { name: string }) => c.name)).not.toContain('Acme Outlet');
      // The same account id on another JOOR host (sandbox beside production) is another account.
      const elsewhere = connectionBody('Acme Sandbox', '1001');
      elsewhere.joor.v4BaseUrl = 'http://localhost:4002/v4';
      const other = await authed(api().post('/connections').send(elsewhere)).expect(201);
      const moved = await authed(
        api()
          .patch(`/connections/${other.body.id}`)
          .send({ joor: { v4BaseUrl: 'http://127.0.0.1:4002/v4' } }),
      ).expect(409);
      expect(moved.body.message).toContain('already kept by connection "Acme"');
      expect((await authed(api().get(`/connections/${other.body.id}`)).expect(200)).body.joor.v4BaseUrl).toBe('http://localhost:4002/v4');
      // A change of something else, or to its own account, is no conflict.
      await authed(
        api()
          .patch(`/connections/${id}`)
          .send({ joor: { accountId: '1001' } }),
      ).expect(200);
      await authed(api().delete(`/connections/${other.body.id}`)).expect(204);
    });

    it('deletes a connection', async () => {
      const other = await authed(api().post('/connections').send(connectionBody('Doomed'))).expect(201);
      await authed(api().delete(`/connections/${other.body.id}`)).expect(204);
      await authed(api().get(`/connections/${other.body.id}`)).expect(404);
      await authed(api().delete(`/connections/${other.body.id}`)).expect(404);
    });
  });

  describe('runs and events', () => {
    let connectionId: string;
    let runId: string;

    beforeAll(async () => {
      const created = await authed(api().post('/connections').send(connectionBody('Runs brand'))).expect(201);
      connectionId = created.body.id;
      const ds = app.get(DataSource);
      const [run] = await ds.query(
        `INSERT INTO sync_run (connection_id, kind, trigger, status, progress_done, progress_total, count_created, count_updated, count_unchanged, count_failed, credits_spent, started_at, finished_at)
         VALUES ($1, 'styles', 'manual', 'partial', 10, 10, 6, 2, 1, 1, 45, now(), now()) RETURNING id`,
        [connectionId],
      );
      runId = run.id;
      await ds.query(`INSERT INTO sync_run (connection_id, kind, trigger, status) VALUES ($1, 'inventory', 'schedule', 'queued')`, [connectionId]);
      for (let i = 1; i <= 5; i++) {
        await ds.query(`INSERT INTO sync_event (run_id, connection_id, level, entity_type, entity_key, reason) VALUES ($1, $2, 'error', 'style', $3, $4)`, [
          runId,
          connectionId,
          `ST-${i}`,
          `problem ${i}`,
        ]);
      }
    });

    it('lists a connection’s runs, filterable', async () => {
      const all = await authed(api().get(`/connections/${connectionId}/runs`)).expect(200);
      expect(all.body.total).toBe(2);
      const partial = await authed(api().get(`/connections/${connectionId}/runs?status=partial`)).expect(200);
      expect(partial.body.items.map((r: { id: string }) => r.id)).toEqual([runId]);
      await authed(api().get(`/connections/${connectionId}/runs?status=bogus`)).expect(400);
    });

    it('shows a run with progress, counts and credits', async () => {
      const res = await authed(api().get(`/runs/${runId}`)).expect(200);
      expect(res.body).toMatchObject({
        id: runId,
        kind: 'styles',
        trigger: 'manual',
        status: 'partial',
        progress: { done: 10, total: 10 },
        counts: { created: 6, updated: 2, unchanged: 1, failed: 1 },
        creditsSpent: 45,
      });
      expect(res.body.startedAt).toEqual(expect.any(String));
      await authed(api().get('/runs/00000000-0000-4000-8000-000000000000')).expect(404);
    });

    it('pages a run’s events', async () => {
      const first = await authed(api().get(`/runs/${runId}/events?limit=2`)).expect(200);
      expect(first.body.items.map((e: { entityKey: string }) => e.entityKey)).toEqual(['ST-1', 'ST-2']);
      const second = await authed(api().get(`/runs/${runId}/events?limit=2&after=${first.body.nextAfter}`)).expect(200);
      expect(second.body.items.map((e: { entityKey: string }) => e.entityKey)).toEqual(['ST-3', 'ST-4']);
      const last = await authed(api().get(`/runs/${runId}/events?limit=2&after=${second.body.nextAfter}`)).expect(200);
      expect(last.body.items.map((e: { reason: string }) => e.reason)).toEqual(['problem 5']);
      expect(last.body.nextAfter).toBeNull();
    });
  });

  describe('order retry', () => {
    it('puts the one order to poll in the job’s payload (and a copy in the run’s details)', async () => {
      const created = await authed(api().post('/connections').send(connectionBody('Retry brand'))).expect(201);
      const connectionId = created.body.id as string;
      const ds = app.get(DataSource);
      await ds.query(`INSERT INTO order_ledger (connection_id, joor_order_id, state, attempts, last_error) VALUES ($1, '7001', 'failed', 1, 'unknown SKU')`, [connectionId]);
      const accepted = await authed(api().post(`/connections/${connectionId}/orders/7001/retry`)).expect(202);
      const runId = accepted.body.runId as string;
      const job = await app.get<Queue>(getQueueToken('order-ingest')).getJob(jobIds.run(runId));
      expect(job?.name).toBe('orders.poll');
      expect(job?.data).toEqual({ connectionId, runId, trigger: 'manual', joorOrderId: '7001', requestId: accepted.headers['x-request-id'] });
      const run = await authed(api().get(`/runs/${runId}`)).expect(200);
      expect(run.body).toMatchObject({ kind: 'orders', trigger: 'manual', status: 'queued', details: { joorOrderId: '7001' } });
    });
  });

  describe('request log and request id', () => {
    const lineOf = (requestId: string) =>
      logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.requestId === requestId && typeof l.status === 'number')
        .pop();

    it("logs one line per request (method, route, path, status, duration, id), answers the id, and puts it in the trigger's job and run", async () => {
      const created = await authed(api().post('/connections').send(connectionBody('Traced brand'))).expect(201);
      const connectionId = created.body.id as string;
      const accepted = await authed(api().post(`/connections/${connectionId}/sync/styles`).set('x-request-id', 'op-check-123').send({ full: true })).expect(202);
      expect(accepted.headers['x-request-id']).toBe('op-check-123');
      const runId = accepted.body.runId as string;
      const job = await app.get<Queue>(getQueueToken('catalog-sync')).getJob(jobIds.run(runId));
      expect(job?.data).toMatchObject({ connectionId, runId, requestId: 'op-check-123' });
      expect((await authed(api().get(`/runs/${runId}`)).expect(200)).body.details).toMatchObject({ requestId: 'op-check-123' });
      expect(lineOf('op-check-123')).toEqual(
        expect.objectContaining({
          level: 'info',
          service: 'gateway',
          method: 'POST',
          route: '/connections/:id/sync/:kind',
          path: `/connections/${connectionId}/sync/styles`,
          status: 202,
          durationMs: expect.any(Number),
          msg: `POST /connections/${connectionId}/sync/styles 202`,
        }),
      );
      // No id sent, or one that is not a plain token: a fresh one.
      const fresh = await authed(api().get('/connections').set('x-request-id', 'not a token {json}')).expect(200);
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('logs a client mistake (413, 400) as a warning with its reason and without a stack', async () => {
      const huge = await authed(
        api()
          .post('/connections')
          .set('x-request-id', 'too-big-1')
          .set('content-type', 'application/json')
          .send(JSON.stringify({ name: 'x'.repeat(2_000_000) })),
      ).expect(413);
      expect(huge.headers['x-request-id']).toBe('too-big-1');
      await authed(api().post('/connections').set('x-request-id', 'bad-body-1').send({ name: '' })).expect(400);
      for (const [id, status] of [
        ['too-big-1', 413],
        ['bad-body-1', 400],
      ] as const) {
        const line = lineOf(id)!;
        expect(line).toMatchObject({ level: 'warn', status, reason: expect.any(String) });
        expect(JSON.stringify(line)).not.toMatch(/stack|"err"/);
      }
      const errorLines = logs.filter((l) => (JSON.parse(l) as { level: string }).level === 'error');
      expect(errorLines).toEqual([]);
    });
  });

  describe('Bull Board', () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('asks for basic auth', async () => {
      const res = await api().get('/admin/queues').expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      await api().get('/admin/queues').set('authorization', basic(TEST_BOARD_USER, 'wrong')).expect(401);
    });

    it('shows every sync queue', async () => {
      await api().get('/admin/queues').set('authorization', basic(TEST_BOARD_USER, TEST_BOARD_PASSWORD)).expect(200);
      const res = await api().get('/admin/queues/api/queues').set('authorization', basic(TEST_BOARD_USER, TEST_BOARD_PASSWORD)).expect(200);
      const names = (res.body.queues as Array<{ name: string }>).map((q) => q.name).sort();
      expect(names).toEqual(['catalog-sync', 'customer-sync', 'inventory-sync', 'media-sync', 'order-ingest']);
    });
  });
});
