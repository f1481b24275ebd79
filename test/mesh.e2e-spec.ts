import type { INestApplication } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import request from 'supertest';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, type JobHandlers } from '@app/common';
import { SyncServiceModule } from '@app/sync-core';
import { createTestDatabase, testConfig, testQueuePrefix, type TestDatabase } from '@app/testing';
import { startGateway } from '../apps/gateway/test/gateway-app';
import { SYNC_SERVICE_MODULES, startModule, type SyncServiceName } from './mesh-apps';

describe('the mesh (e2e)', () => {
  let db: TestDatabase;
  let gateway: INestApplication;
  const services = new Map<SyncServiceName, INestApplication>();
  let env: { databaseUrl: string; queuePrefix: string };

  beforeAll(async () => {
    db = await createTestDatabase('mesh');
    env = { databaseUrl: db.url, queuePrefix: testQueuePrefix('mesh') };
    gateway = (await startGateway(testConfig('gateway', env))).app;
    for (const name of Object.keys(SYNC_SERVICE_MODULES) as SyncServiceName[]) {
      services.set(name, await startModule(SYNC_SERVICE_MODULES[name](testConfig(name, env))));
    }
  });

  afterAll(async () => {
    await gateway?.close();
    for (const app of services.values()) await app.close();
    await db?.drop();
  });

  it('reports every sync service consuming, with its round trip', async () => {
    const res = await request(gateway.getHttpServer()).get('/health/mesh').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.services.map((s: { service: string }) => s.service).sort()).toEqual([...services.keys()].sort());
    for (const service of res.body.services) {
      expect(service).toMatchObject({ status: 'up', roundTripMs: expect.any(Number), consumer: expect.stringContaining(':') });
      expect(service.roundTripMs).toBeLessThan(2_000);
    }
  });

  it('exposes each sync service’s queue counts and job durations as Prometheus metrics', async () => {
    const res = await request(services.get('catalog-sync')!.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('process_resident_memory_bytes');
    for (const state of ['waiting', 'active', 'failed']) expect(res.text).toMatch(new RegExp(`amcjoor_queue_jobs\\{[^}]*queue="catalog-sync"[^}]*state="${state}"[^}]*\\} \\d+`));
    const count = res.text.match(/amcjoor_job_duration_seconds_count\{[^}]*queue="catalog-sync"[^}]*name="mesh\.canary"[^}]*outcome="completed"[^}]*\} (\d+)/);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('names the service whose worker is stopped', async () => {
    await services.get('inventory-sync')!.close();
    services.delete('inventory-sync');
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the gateway's probe reuse window
    const res = await request(gateway.getHttpServer()).get('/health/mesh').expect(503);
    expect(res.body.status).toBe('degraded');
    const down = res.body.services.filter((s: { status: string }) => s.status === 'down');
    expect(down).toEqual([expect.objectContaining({ service: 'inventory-sync', status: 'down', reason: expect.stringMatching(/no worker/) })]);
  });

  it('refuses to start a service whose processor lacks a handler for a job in its contract', async () => {
    @Processor(QUEUES.media, { autorun: false })
    class IncompleteProcessor extends ContractProcessor<typeof QUEUES.media> {
      readonly queueName = QUEUES.media;
      protected readonly handlers = {} as JobHandlers<typeof QUEUES.media>;
    }
    await expect(startModule(SyncServiceModule.register({ config: testConfig('media-sync', env), queue: QUEUES.media, processor: IncompleteProcessor }))).rejects.toThrow(
      /media-sync cannot start: no handler for job mesh\.canary/,
    );
  });
});
