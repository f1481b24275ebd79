import type { INestApplication } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import request from 'supertest';
import { CANARY_JOB, CANARY_QUEUES, CANARY_QUEUE_NAMES, QUEUES, SYNC_QUEUE_NAMES, WORKER_CONCURRENCY, jobIds } from '@app/contracts';
import { ContractProcessor, JobProducer, type JobHandlers } from '@app/common';
import { SyncServiceModule } from '@app/sync-core';
import { TEST_API_KEY, createTestDatabase, testConfig, testQueuePrefix, waitFor, type TestDatabase } from '@app/testing';
import { startGateway } from '../apps/gateway/test/gateway-app';
import { SYNC_SERVICE_MODULES, startModule, type SyncServiceName } from './mesh-apps';

/** What a service's entry in a mesh report may show: nothing about hosts or processes. */
const PROBE_FIELDS = ['service', 'queue', 'status', 'workerConnections', 'roundTripMs', 'reason'];
const CANARY_TIMEOUT_MS = 10_000;
/**
 * How long the busy test keeps the sync worker's slots: twice the probe's timeout, so a canary
 * queued behind these jobs would surely miss it, however slow the machine.
 */
const HOLD_MS = 2 * CANARY_TIMEOUT_MS;

describe('the mesh (e2e)', () => {
  let db: TestDatabase;
  let gateway: INestApplication;
  const services = new Map<SyncServiceName, INestApplication>();
  let env: { databaseUrl: string; queuePrefix: string };

  const api = (app = gateway) => request(app.getHttpServer());
  const probeNow = () => api().post('/health/mesh').set('x-api-key', TEST_API_KEY);

  /** Every job in every sync and canary queue of the test's prefix. */
  async function jobCount(): Promise<number> {
    const producer = gateway.get(JobProducer);
    let total = 0;
    for (const name of [...SYNC_QUEUE_NAMES, ...CANARY_QUEUE_NAMES]) {
      const counts = await producer.queue(name).getJobCounts();
      total += Object.values(counts).reduce((sum, n) => sum + n, 0);
    }
    return total;
  }

  beforeAll(async () => {
    db = await createTestDatabase('mesh');
    env = { databaseUrl: db.url, queuePrefix: testQueuePrefix('mesh') };
    gateway = (await startGateway(testConfig('gateway', { ...env, extra: { MESH_CANARY_TIMEOUT_MS: String(CANARY_TIMEOUT_MS) } }))).app;
    for (const name of Object.keys(SYNC_SERVICE_MODULES) as SyncServiceName[]) {
      services.set(name, await startModule(SYNC_SERVICE_MODULES[name](testConfig(name, env))));
    }
  });

  afterAll(async () => {
    // Let the busy test's long jobs end first: a job still running when its worker is closed by force
    // leaves BullMQ a Redis connection that keeps the test process alive.
    if (gateway) await waitFor('the held jobs to end', async () => (await gateway.get(JobProducer).queue(QUEUES.media).getActiveCount()) === 0, 2 * HOLD_MS);
    await gateway?.close();
    for (const app of services.values()) await app.close();
    await db?.drop();
  });

  it('the public GET answers without probing: unknown before any probe, and adds no job', async () => {
    const before = await jobCount();
    const res = await api().get('/health/mesh').expect(503);
    expect(res.body).toEqual({ status: 'unknown', checkedAt: null, services: [] });
    await api().get('/health/mesh').expect(503);
    expect(await jobCount()).toBe(before);
  });

  it('probing needs the API key', async () => {
    const before = await jobCount();
    await api().post('/health/mesh').expect(401);
    await api().post('/health/mesh').set('x-api-key', 'wrong-key-0123456789').expect(401);
    expect(await jobCount()).toBe(before);
  });

  it('an authorised probe reports every sync service consuming, with its round trip, naming no host or process', async () => {
    const res = await probeNow().expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.services.map((s: { service: string }) => s.service).sort()).toEqual([...services.keys()].sort());
    for (const service of res.body.services) {
      expect(service).toMatchObject({ status: 'up', roundTripMs: expect.any(Number), workerConnections: expect.any(Number) });
      expect(Object.keys(service).filter((key) => !PROBE_FIELDS.includes(key))).toEqual([]);
    }

    // The public GET now serves that report, and still enqueues nothing.
    const before = await jobCount();
    const last = await api().get('/health/mesh').expect(200);
    expect(last.body).toEqual(res.body);
    expect(await jobCount()).toBe(before);
  });

  it('exposes each sync service’s queue counts and job durations (its canaries’ too) as Prometheus metrics', async () => {
    const res = await api(services.get('catalog-sync')!).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('process_resident_memory_bytes');
    for (const state of ['waiting', 'active', 'failed']) expect(res.text).toMatch(new RegExp(`amcjoor_queue_jobs\\{[^}]*queue="catalog-sync"[^}]*state="${state}"[^}]*\\} \\d+`));
    const count = res.text.match(/amcjoor_job_duration_seconds_count\{[^}]*queue="catalog-sync-canary"[^}]*name="mesh\.canary"[^}]*outcome="completed"[^}]*\} (\d+)/);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('reports a service up while every slot of its sync worker is busy with a long job', async () => {
    const producer = gateway.get(JobProducer);
    const queue = producer.queue(QUEUES.media);
    const slots = WORKER_CONCURRENCY[QUEUES.media];
    // Every slot held, and one more job waiting behind them.
    for (let i = 0; i <= slots; i++) {
      const holdMs = i < slots ? HOLD_MS : 0;
      await producer.add(QUEUES.media, CANARY_JOB, { probeId: `busy-${i}`, sentAt: new Date().toISOString(), holdMs }, { jobId: jobIds.canary(QUEUES.media, `busy-${i}`) });
    }
    await waitFor('every slot of media-sync busy', async () => (await queue.getActiveCount()) === slots && (await queue.getWaitingCount()) === 1);

    const res = await probeNow().expect(200);
    expect(res.body.services.find((s: { service: string }) => s.service === 'media-sync')).toMatchObject({ status: 'up' });
    // Still busy: the probe did not wait for the long jobs to end.
    expect(await queue.getActiveCount()).toBe(slots);
  });

  it('names the service whose worker is stopped', async () => {
    const canaryQueue = gateway.get(JobProducer).queue(CANARY_QUEUES['inventory-sync']);
    expect(await canaryQueue.getWorkersCount()).toBeGreaterThan(0);
    await services.get('inventory-sync')!.close();
    services.delete('inventory-sync');
    // Closing the service closed its canary worker too.
    expect(await canaryQueue.getWorkersCount()).toBe(0);
    const res = await probeNow().expect(503);
    expect(res.body.status).toBe('degraded');
    const down = res.body.services.filter((s: { status: string }) => s.status === 'down');
    expect(down).toEqual([expect.objectContaining({ service: 'inventory-sync', status: 'down', reason: expect.stringMatching(/no worker/) })]);
    // The public answer is that last report.
    expect((await api().get('/health/mesh').expect(503)).body).toEqual(res.body);
  });

  it('a gateway with MESH_PROBE_INTERVAL_MS probes by itself, so the public GET has a fresh answer', async () => {
    const own = (await startGateway(testConfig('gateway', { ...env, extra: { MESH_PROBE_INTERVAL_MS: '200', MESH_CANARY_TIMEOUT_MS: String(CANARY_TIMEOUT_MS) } }))).app;
    try {
      const first = await waitFor('a first background probe', async () => (await api(own).get('/health/mesh')).body.checkedAt as string | null, 60_000);
      const second = await waitFor(
        'a later background probe',
        async () => {
          const checkedAt = (await api(own).get('/health/mesh')).body.checkedAt as string;
          return checkedAt !== first ? checkedAt : null;
        },
        60_000,
      );
      expect(Date.parse(second)).toBeGreaterThan(Date.parse(first));
    } finally {
      await own.close();
    }
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
