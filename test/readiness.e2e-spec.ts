import { createServer, type Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TcpProxy, createTestDatabase, testConfig, testQueuePrefix, testServices, waitFor, type TestDatabase } from '@app/testing';
import { startGateway } from '../apps/gateway/test/gateway-app';
import { SYNC_SERVICE_MODULES, startModule } from './mesh-apps';

/** A server on `port` that accepts connections and never answers (a hung dependency). */
async function blackhole(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Redis and PostgreSQL reached through proxies the test can cut, so an outage touches only these apps. */
describe('readiness follows Redis and PostgreSQL (e2e)', () => {
  let db: TestDatabase;
  let redisProxy: TcpProxy;
  let pgProxy: TcpProxy;
  const apps: Record<string, INestApplication> = {};

  const ready = (name: string) => request(apps[name].getHttpServer()).get('/health/ready');
  const statusOf = async (name: string) => (await ready(name)).status;

  beforeAll(async () => {
    db = await createTestDatabase('readiness');
    redisProxy = TcpProxy.forUrl(testServices().redisUrl, 6379);
    pgProxy = TcpProxy.forUrl(db.url, 5432);
    await Promise.all([redisProxy.start(), pgProxy.start()]);
    const env = { databaseUrl: pgProxy.rewrite(db.url), redisUrl: redisProxy.rewrite(testServices().redisUrl), queuePrefix: testQueuePrefix('ready') };
    apps.gateway = (await startGateway(testConfig('gateway', env))).app;
    apps['catalog-sync'] = await startModule(SYNC_SERVICE_MODULES['catalog-sync'](testConfig('catalog-sync', env)));
  });

  afterAll(async () => {
    await redisProxy?.restore();
    await pgProxy?.restore();
    for (const app of Object.values(apps)) await app.close();
    await redisProxy?.stop();
    await pgProxy?.stop();
    await db?.drop();
  });

  it('is 200 with every check up, the worker included for a sync service', async () => {
    await ready('gateway').expect(200);
    const res = await ready('catalog-sync').expect(200);
    expect(Object.keys(res.body.details).sort()).toEqual(['postgres', 'redis', 'worker']);
  });

  it('turns 503 naming redis while Redis is unreachable, and 200 again when it returns', async () => {
    await redisProxy.cut();
    // The gateway has no worker; a sync service's worker is down with Redis.
    const workerDown = { gateway: undefined, 'catalog-sync': expect.objectContaining({ status: 'down', message: expect.stringMatching(/Redis connection/) }) };
    for (const [name, worker] of Object.entries(workerDown)) {
      const res = await waitFor(`${name} to report redis down`, async () => {
        const r = await ready(name);
        return r.status === 503 ? r : null;
      });
      expect(res.body.error.redis.status).toBe('down');
      expect(res.body.error.postgres).toBeUndefined();
      expect(res.body.error.worker).toEqual(worker);
      const live = await request(apps[name].getHttpServer()).get('/health/live');
      expect(live.status).toBe(200);
    }
    await redisProxy.restore();
    for (const name of ['gateway', 'catalog-sync']) await waitFor(`${name} ready after Redis returns`, async () => (await statusOf(name)) === 200);
  });

  it('turns 503 naming postgres while PostgreSQL is unreachable, and 200 again when it returns', async () => {
    await pgProxy.cut();
    for (const name of ['gateway', 'catalog-sync']) {
      const res = await waitFor(`${name} to report postgres down`, async () => {
        const r = await ready(name);
        return r.status === 503 ? r : null;
      });
      expect(res.body.error.postgres.status).toBe('down');
      expect(res.body.error.redis).toBeUndefined();
    }
    await pgProxy.restore();
    for (const name of ['gateway', 'catalog-sync']) await waitFor(`${name} ready after PostgreSQL returns`, async () => (await statusOf(name)) === 200);
  });

  it('answers within the check timeout even while a dependency hangs', async () => {
    // PostgreSQL's address now takes connections and never answers: only the check's own timeout
    // (HEALTH_CHECK_TIMEOUT_MS) can end the check, and the answer says it did, however slow the
    // machine (a check without it would wait for the driver's 3 s connect timeout and report that).
    const timeoutMs = testConfig('gateway', { databaseUrl: db.url, queuePrefix: 'unused' }).healthTimeoutMs;
    await pgProxy.cut();
    const hang = await blackhole(pgProxy.port);
    try {
      const res = await waitFor('gateway to report postgres timing out', async () => {
        const r = await ready('gateway');
        // (The first answers may still name the connections the cut just closed.)
        return r.status === 503 && /did not answer/.test(r.body.error?.postgres?.message ?? '') ? r : null;
      });
      expect(res.body.error.postgres).toEqual({ status: 'down', message: `postgres did not answer within ${timeoutMs} ms` });
      expect(res.body.error.redis).toBeUndefined();
    } finally {
      await hang.close();
      await pgProxy.restore();
    }
    for (const name of ['gateway', 'catalog-sync']) await waitFor(`${name} ready after PostgreSQL answers again`, async () => (await statusOf(name)) === 200);
  });
});
