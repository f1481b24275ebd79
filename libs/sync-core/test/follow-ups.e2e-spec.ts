import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { CATALOG_SYNC_JOB, FOLLOW_UP_WINDOW_MS, ORDERS_POLL_JOB, QUEUES, jobIds } from '@app/contracts';
import { ContractProcessor, JobProducer, handleCanary, type JobHandlers } from '@app/common';
import { FollowUps, SyncServiceModule } from '@app/sync-core';
import { createTestDatabase, testConfig, testQueuePrefix, type TestDatabase } from '@app/testing';

@Processor(QUEUES.media, { autorun: false })
class MediaProcessor extends ContractProcessor<typeof QUEUES.media> {
  readonly queueName = QUEUES.media;
  protected readonly handlers: JobHandlers<typeof QUEUES.media> = {
    'mesh.canary': handleCanary,
    'media.sync': () => Promise.reject(new Error('media.sync is not run in this test')),
  };
}

/**
 * A sync service (here a stand-in on media-sync's queue, its own jobs not run) asks for follow-ups of other
 * services' jobs through the contracts, against real Redis and BullMQ; nothing consumes the target
 * queues here, so every job the requests made is still there to count.
 */
describe('follow-up jobs (e2e)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let followUps: FollowUps;
  let producer: JobProducer;

  beforeAll(async () => {
    db = await createTestDatabase('followups');
    const config = testConfig('media-sync', { databaseUrl: db.url, queuePrefix: testQueuePrefix('followups') });
    const moduleRef = await Test.createTestingModule({ imports: [SyncServiceModule.register({ config, queue: QUEUES.media, processor: MediaProcessor })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    followUps = app.get(FollowUps);
    producer = app.get(JobProducer);
  });

  afterAll(async () => {
    for (const queue of [QUEUES.order, QUEUES.catalog])
      await producer
        ?.queue(queue)
        .obliterate({ force: true })
        .catch(() => undefined);
    await app?.close();
    await db?.drop();
  });

  const jobsOf = async (queue: typeof QUEUES.order | typeof QUEUES.catalog, connectionId: string): Promise<Job[]> =>
    (await producer.queue(queue).getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized'])).filter((job) => job.data?.connectionId === connectionId);

  /** The windows a burst between `start` and `end` can have touched: the most jobs it may make per target. */
  const windowsBetween = (start: number, end: number) => Math.floor(end / FOLLOW_UP_WINDOW_MS) - Math.floor(start / FOLLOW_UP_WINDOW_MS) + 1;

  it('coalesces a burst of requests from one run into a bounded number of jobs, each with trigger follow-up and its cause', async () => {
    const connectionId = randomUUID();
    const runId = randomUUID();
    const N = 500;
    const start = Date.now();
    const ids = await Promise.all(Array.from({ length: N }, () => followUps.request(ORDERS_POLL_JOB, connectionId, runId)));
    const end = Date.now();

    const jobs = await jobsOf(QUEUES.order, connectionId);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs.length).toBeLessThanOrEqual(windowsBetween(start, end));
    expect(new Set(ids)).toEqual(new Set(jobs.map((job) => job.id)));
    for (const job of jobs) {
      expect(job.name).toBe('orders.poll');
      expect(job.data).toEqual({ connectionId, trigger: 'follow-up', causedBy: runId });
      expect(await job.getState()).toBe('delayed');
      expect(job.opts.delay).toBeGreaterThan(0);
      expect(job.opts.delay).toBeLessThanOrEqual(FOLLOW_UP_WINDOW_MS);
      // The contract's options (retries with backoff) came along.
      expect(job.opts.attempts).toBeGreaterThan(1);
    }
    const window = Math.floor(start / FOLLOW_UP_WINDOW_MS);
    expect(jobs.map((job) => job.id)).toContain(jobIds.followUp(ORDERS_POLL_JOB, connectionId, runId, window));
  });

  it('keeps the follow-ups of different causing runs, connections and targets apart, each typed by its target', async () => {
    const connectionId = randomUUID();
    const other = randomUUID();
    const [runA, runB] = [randomUUID(), randomUUID()];
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      await followUps.request(ORDERS_POLL_JOB, connectionId, runA);
      await followUps.request(ORDERS_POLL_JOB, connectionId, runB);
      await followUps.request(ORDERS_POLL_JOB, other, runA);
      await followUps.request(CATALOG_SYNC_JOB, connectionId, runA, { full: false });
    }
    const bound = windowsBetween(start, Date.now());

    const orders = await jobsOf(QUEUES.order, connectionId);
    for (const runId of [runA, runB]) {
      const ofRun = orders.filter((job) => job.data.causedBy === runId);
      expect(ofRun.length).toBeGreaterThanOrEqual(1);
      expect(ofRun.length).toBeLessThanOrEqual(bound);
    }
    expect(orders.length).toBe(orders.filter((job) => job.data.causedBy === runA).length + orders.filter((job) => job.data.causedBy === runB).length);

    const ofOther = await jobsOf(QUEUES.order, other);
    expect(ofOther.length).toBeGreaterThanOrEqual(1);
    expect(ofOther.length).toBeLessThanOrEqual(bound);

    const catalog = await jobsOf(QUEUES.catalog, connectionId);
    expect(catalog.length).toBeGreaterThanOrEqual(1);
    expect(catalog.length).toBeLessThanOrEqual(bound);
    for (const job of catalog) expect(job).toMatchObject({ name: 'catalog.sync', data: { connectionId, trigger: 'follow-up', causedBy: runA, full: false } });
  });
});
