import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { jobIds } from '@app/contracts';
import { SandboxKitClient, TEST_API_KEY, createTestDatabase, testConfig, testQueuePrefix, type TestDatabase } from '@app/testing';
import { startAmcSandbox, type AmcSandboxApp } from '@app/testing/amc-sandbox-app';
import { JOOR_SANDBOX_DEV_CREDENTIALS, startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';
import { startGateway } from './gateway-app';

describe('connection test, sync triggers and schedules (e2e, both sandboxes)', () => {
  let db: TestDatabase;
  let gateway: INestApplication;
  let amc: AmcSandboxApp;
  let joor: JoorSandboxHarness;
  const authed = (req: request.Test) => req.set('x-api-key', TEST_API_KEY);
  const api = () => request(gateway.getHttpServer());

  /**
   * A connection on the sandbox's JOOR account, which belongs to one connection at a time: a test that
   * calls JOOR deletes its connection after; the others (which only queue jobs) get accounts of their own.
   */
  function body(name: string, overrides: { amcToken?: string; joorPassword?: string; v2Token?: string; accountId?: string } = {}) {
    return {
      name,
      amc: { baseUrl: `${amc.url}/api/json`, token: overrides.amcToken ?? amc.token },
      joor: {
        v2BaseUrl: `${joor.url}/v2`,
        v4BaseUrl: `${joor.url}/v4`,
        authUrl: `${joor.url}/auth/`,
        accountId: overrides.accountId ?? joor.accountId,
        clientId: JOOR_SANDBOX_DEV_CREDENTIALS.clientId,
        clientSecret: JOOR_SANDBOX_DEV_CREDENTIALS.clientSecret,
        username: JOOR_SANDBOX_DEV_CREDENTIALS.username,
        password: overrides.joorPassword ?? JOOR_SANDBOX_DEV_CREDENTIALS.password,
        v2Token: overrides.v2Token ?? JOOR_SANDBOX_DEV_CREDENTIALS.v2Token,
      },
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase('gw_sync');
    amc = await startAmcSandbox(db.url, { AMC_SANDBOX_SEED_STYLES: '5' });
    joor = await startJoorSandbox('gw_sync');
    gateway = (await startGateway(testConfig('gateway', { databaseUrl: db.url, queuePrefix: testQueuePrefix('gw-sync') }))).app;
  });

  afterAll(async () => {
    await gateway?.close();
    await amc?.close();
    await joor?.close();
    await db?.drop();
  });

  describe('POST /connections/:id/test', () => {
    it('passes every part of a good connection for 2 JOOR credits', async () => {
      const created = await authed(api().post('/connections').send(body('Good'))).expect(201);
      const kit = new SandboxKitClient(joor.url);
      const before = await kit.calls();
      const res = await authed(api().post(`/connections/${created.body.id}/test`)).expect(200);
      expect(res.body).toMatchObject({ ok: true, amc: { ok: true }, joorAuth: { ok: true }, joorV4: { ok: true }, joorV2: { ok: true }, joorCredits: 2 });
      const after = await kit.calls({ since: before.lastSeq });
      expect(after.calls.reduce((sum: number, call: { credits?: number }) => sum + (call.credits ?? 0), 0)).toBe(2);
      await authed(api().delete(`/connections/${created.body.id}`)).expect(204);
    });

    it('names the parts that fail and why', async () => {
      const created = await authed(
        api()
          .post('/connections')
          .send(body('Bad', { amcToken: 'wrong-token-xxxx', joorPassword: 'wrong-password' })),
      ).expect(201);
      const res = await authed(api().post(`/connections/${created.body.id}/test`)).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.amc).toMatchObject({ ok: false, detail: expect.stringMatching(/401/) });
      expect(res.body.joorAuth.ok).toBe(false);
      expect(res.body.joorV4).toMatchObject({ ok: false, detail: expect.stringMatching(/skipped/) });
      expect(res.body.joorV2.ok).toBe(true);
      expect(JSON.stringify(res.body)).not.toContain('wrong-password');
      await authed(api().delete(`/connections/${created.body.id}`)).expect(204);

      const badV2 = await authed(
        api()
          .post('/connections')
          .send(body('Bad v2', { v2Token: 'not-the-token' })),
      ).expect(201);
      const v2 = await authed(api().post(`/connections/${badV2.body.id}/test`)).expect(200);
      expect(v2.body).toMatchObject({ ok: false, amc: { ok: true }, joorV4: { ok: true }, joorV2: { ok: false } });
      await authed(api().delete(`/connections/${badV2.body.id}`)).expect(204);
    });
  });

  describe('POST /connections/:id/sync/:kind', () => {
    let id: string;

    beforeAll(async () => {
      id = (
        await authed(
          api()
            .post('/connections')
            .send(body('Triggers', { accountId: 'acct-triggers' })),
        ).expect(201)
      ).body.id;
    });

    it('queues a styles run and answers 202 with its id', async () => {
      const res = await authed(api().post(`/connections/${id}/sync/styles`).send({ full: true })).expect(202);
      expect(res.body).toEqual({ runId: expect.any(String) });
      const run = await authed(api().get(`/runs/${res.body.runId}`)).expect(200);
      expect(run.body).toMatchObject({ kind: 'styles', trigger: 'manual', status: 'queued', connectionId: id });
      const job = await gateway.get<Queue>(getQueueToken('catalog-sync')).getJob(jobIds.run(res.body.runId));
      expect(job?.name).toBe('catalog.sync');
      expect(job?.data).toMatchObject({ connectionId: id, runId: res.body.runId, full: true });
    });

    it('queues an inventory run, full or for named styles', async () => {
      const res = await authed(
        api()
          .post(`/connections/${id}/sync/inventory`)
          .send({ styleNumbers: ['ST-1'] }),
      ).expect(202);
      const job = await gateway.get<Queue>(getQueueToken('inventory-sync')).getJob(jobIds.run(res.body.runId));
      expect(job?.name).toBe('inventory.sync');
      expect(job?.data).toMatchObject({ connectionId: id, runId: res.body.runId, styleNumbers: ['ST-1'] });
    });

    it('queues a customer run, full or for named JOOR codes', async () => {
      const res = await authed(
        api()
          .post(`/connections/${id}/sync/customers`)
          .send({ codes: ['JC-1', 'JC-2'] }),
      ).expect(202);
      const job = await gateway.get<Queue>(getQueueToken('customer-sync')).getJob(jobIds.run(res.body.runId));
      expect(job?.name).toBe('customer.sync');
      expect(job?.data).toMatchObject({ connectionId: id, runId: res.body.runId, trigger: 'manual', codes: ['JC-1', 'JC-2'] });
      const full = await authed(api().post(`/connections/${id}/sync/customers`).send({ full: true })).expect(202);
      expect((await gateway.get<Queue>(getQueueToken('customer-sync')).getJob(jobIds.run(full.body.runId)))?.data).toMatchObject({ full: true });
      await authed(
        api()
          .post(`/connections/${id}/sync/customers`)
          .send({ styleNumbers: ['ST-1'] }),
      ).expect(400);
      await authed(
        api()
          .post(`/connections/${id}/sync/customers`)
          .send({ codes: ['C'.repeat(51)] }),
      ).expect(400);
      await authed(
        api()
          .post(`/connections/${id}/sync/styles`)
          .send({ codes: ['JC-1'] }),
      ).expect(400);
    });

    it('queues an orders poll', async () => {
      const res = await authed(api().post(`/connections/${id}/sync/orders`).send({})).expect(202);
      const job = await gateway.get<Queue>(getQueueToken('order-ingest')).getJob(jobIds.run(res.body.runId));
      expect(job?.name).toBe('orders.poll');
    });

    it('queues an images run, full or for named styles; while syncImages is off it answers 409 saying why', async () => {
      const res = await authed(
        api()
          .post(`/connections/${id}/sync/images`)
          .send({ full: true, styleNumbers: ['ST-1'] }),
      ).expect(202);
      const job = await gateway.get<Queue>(getQueueToken('media-sync')).getJob(jobIds.run(res.body.runId));
      expect(job?.name).toBe('media.sync');
      expect(job?.data).toMatchObject({ connectionId: id, runId: res.body.runId, trigger: 'manual', full: true, styleNumbers: ['ST-1'] });
      await authed(
        api()
          .post(`/connections/${id}/sync/images`)
          .send({ codes: ['JC-1'] }),
      ).expect(400);

      const off = await authed(
        api()
          .post('/connections')
          .send({ ...body('Images off', { accountId: 'acct-images-off' }), settings: { syncImages: false } }),
      ).expect(201);
      const refused = await authed(api().post(`/connections/${off.body.id}/sync/images`).send({})).expect(409);
      expect(refused.body.message).toMatch(/images are off for this connection \(syncImages is false\)/);
      const runs = await authed(api().get(`/connections/${off.body.id}/runs`)).expect(200);
      expect(JSON.stringify(runs.body)).not.toMatch(/"kind":"images"/);

      // Turned on: one full images run, so everything is synced once.
      await authed(
        api()
          .patch(`/connections/${off.body.id}`)
          .send({ settings: { syncImages: true } }),
      ).expect(200);
      await authed(
        api()
          .patch(`/connections/${off.body.id}`)
          .send({ settings: { syncImages: true } }),
      ).expect(200);
      const after = (await authed(api().get(`/connections/${off.body.id}/runs`)).expect(200)).body.items as Array<{ id: string; kind: string; details: Record<string, unknown> }>;
      const images = after.filter((r) => r.kind === 'images');
      expect(images).toEqual([expect.objectContaining({ details: expect.objectContaining({ full: true, reason: 'syncImages turned on' }) })]);
      const queued = await gateway.get<Queue>(getQueueToken('media-sync')).getJob(jobIds.run(images[0].id));
      expect(queued?.data).toMatchObject({ connectionId: off.body.id, runId: images[0].id, full: true });
    });

    it('refuses what it cannot do, saying why', async () => {
      await authed(api().post(`/connections/${id}/sync/everything`).send({})).expect(400);
      await authed(api().post(`/connections/${id}/sync/orders`).send({ full: true })).expect(400);
      await authed(api().post(`/connections/${id}/sync/styles`).send({ styleNumbers: 'ST-1' })).expect(400);
      await authed(api().post('/connections/00000000-0000-4000-8000-000000000000/sync/styles').send({})).expect(404);
      await api().post(`/connections/${id}/sync/styles`).send({}).expect(401);
    });
  });

  describe('schedules', () => {
    it('follow the connection: created with it, changed with its settings, removed with it', async () => {
      const created = await authed(
        api()
          .post('/connections')
          .send({ ...body('Scheduled', { accountId: 'acct-scheduled' }), settings: { orderPollMinutes: 20 } }),
      ).expect(201);
      const id = created.body.id;
      const first = await authed(api().get(`/connections/${id}/schedules`)).expect(200);
      expect(first.body).toMatchObject({ styles: { everyMs: 10 * 60_000 }, orders: { everyMs: 20 * 60_000 }, inventory: { everyMs: 60_000 }, customers: { everyMs: 60 * 60_000 } });
      await authed(
        api()
          .patch(`/connections/${id}`)
          .send({ settings: { orderPollMinutes: 30 } }),
      ).expect(200);
      const changed = await authed(api().get(`/connections/${id}/schedules`)).expect(200);
      expect(changed.body.orders.everyMs).toBe(30 * 60_000);
      const orders = gateway.get<Queue>(getQueueToken('order-ingest'));
      expect((await orders.getJobSchedulers()).filter((s) => s.key === jobIds.schedule('orders', id))).toHaveLength(1);
      await authed(api().delete(`/connections/${id}`)).expect(204);
      expect(await orders.getJobScheduler(jobIds.schedule('orders', id))).toBeFalsy();
    });

    it('go while the connection is paused (a settings change included) and come back, with the new settings, when it is resumed; pausing twice is pausing once', async () => {
      const created = await authed(
        api()
          .post('/connections')
          .send(body('Pausable', { accountId: 'acct-pausable' })),
      ).expect(201);
      const id = created.body.id;
      expect(created.body.pausedAt).toBeNull();
      const paused = await authed(api().post(`/connections/${id}/pause`)).expect(200);
      expect(paused.body.pausedAt).toEqual(expect.any(String));
      const again = await authed(api().post(`/connections/${id}/pause`)).expect(200);
      expect(again.body.pausedAt).toBe(paused.body.pausedAt);
      const none = { styles: { everyMs: null, next: null }, orders: { everyMs: null, next: null }, inventory: { everyMs: null, next: null }, customers: { everyMs: null, next: null } };
      expect((await authed(api().get(`/connections/${id}/schedules`)).expect(200)).body).toEqual(none);
      await authed(
        api()
          .patch(`/connections/${id}`)
          .send({ settings: { orderPollMinutes: 45 } }),
      ).expect(200);
      expect((await authed(api().get(`/connections/${id}/schedules`)).expect(200)).body).toEqual(none);
      expect((await authed(api().get(`/connections/${id}`)).expect(200)).body.pausedAt).toBe(paused.body.pausedAt);

      const resumed = await authed(api().post(`/connections/${id}/resume`)).expect(200);
      expect(resumed.body.pausedAt).toBeNull();
      const back = (await authed(api().get(`/connections/${id}/schedules`)).expect(200)).body;
      expect(back).toMatchObject({ styles: { everyMs: 10 * 60_000 }, orders: { everyMs: 45 * 60_000 }, inventory: { everyMs: 60_000 }, customers: { everyMs: 60 * 60_000 } });

      const unknown = '00000000-0000-4000-8000-000000000000';
      await authed(api().post(`/connections/${unknown}/pause`)).expect(404);
      await authed(api().post(`/connections/${unknown}/resume`)).expect(404);
      await api().post(`/connections/${id}/pause`).expect(401);
    });
  });
});
