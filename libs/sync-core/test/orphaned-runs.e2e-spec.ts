import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getQueueToken, Processor } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { addJob, MEDIA_SYNC_JOB, QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';
import { ConnectionRepository, SyncRunRepository } from '@app/persistence';
import { OrphanedRuns, SyncServiceModule } from '@app/sync-core';
import { createPlaceholderConnection, createTestDatabase, testConfig, testQueuePrefix, waitFor, type TestDatabase } from '@app/testing';

@Processor(QUEUES.media, { autorun: false })
class MediaProcessor extends ContractProcessor<typeof QUEUES.media> {
  readonly queueName = QUEUES.media;
  protected readonly handlers: JobHandlers<typeof QUEUES.media> = {
    'mesh.canary': handleCanary,
    // Fails without going through the runner, as a job BullMQ fails for stalling too often does.
    'media.sync': () => Promise.reject(new Error('job stalled more than allowable limit')),
  };
}

/** A sync service ends the runs its queue's jobs can no longer end (real Redis, BullMQ and PostgreSQL). */
describe('orphaned runs (e2e)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let sweeper: OrphanedRuns;
  let runs: SyncRunRepository;
  let queue: Queue;
  let dataSource: DataSource;
  let connectionId: string;

  beforeAll(async () => {
    db = await createTestDatabase('orphans');
    const config = testConfig('media-sync', { databaseUrl: db.url, queuePrefix: testQueuePrefix('orphans') });
    const moduleRef = await Test.createTestingModule({ imports: [SyncServiceModule.register({ config, queue: QUEUES.media, processor: MediaProcessor })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    sweeper = app.get(OrphanedRuns);
    runs = app.get(SyncRunRepository);
    queue = app.get<Queue>(getQueueToken(QUEUES.media));
    dataSource = app.get(DataSource);
    const connection = await createPlaceholderConnection(app.get(ConnectionRepository), 'orphans');
    connectionId = connection.id;
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await app?.close();
    await db?.drop();
  });

  /** An images run with this job id, queued `minutesAgo` minutes ago, `running` when asked. */
  async function run(jobId: string, minutesAgo: number, running = true): Promise<string> {
    const queued = await runs.queue(connectionId, 'images', 'manual');
    await runs.setJobId(queued.id, jobId);
    if (running) await runs.start(queued.id);
    await dataSource.query(`UPDATE sync_run SET queued_at = now() - make_interval(mins => $2) WHERE id = $1`, [queued.id, minutesAgo]);
    return queued.id;
  }

  it('ends a run whose job is gone or failed behind the runner, with the reason and an event, and leaves live and fresh runs alone', async () => {
    const failedJob = await addJob(queue, QUEUES.media, MEDIA_SYNC_JOB, { connectionId, trigger: 'manual' }, { jobId: 'orphan-failed', attempts: 1 });
    await waitFor('the stand-in job to fail', async () => (await queue.getJobState(failedJob.id!)) === 'failed', 15_000);
    const delayedJob = await addJob(queue, QUEUES.media, MEDIA_SYNC_JOB, { connectionId, trigger: 'manual' }, { jobId: 'orphan-delayed', delay: 3_600_000 });

    const gone = await run('run-gone-for-ever', 5);
    const failedBehind = await run(failedJob.id!, 5, false);
    const live = await run(delayedJob.id!, 5);
    const fresh = await run('run-not-added-yet', 0);

    expect((await sweeper.sweep()).sort()).toEqual([gone, failedBehind].sort());

    expect(await runs.findById(gone)).toMatchObject({ status: 'failed', error: 'orphaned: its job is gone from the queue' });
    expect(await runs.findById(failedBehind)).toMatchObject({ status: 'failed', error: expect.stringContaining('its job ended failed without the run recording it') });
    expect((await runs.findById(live))!.status).toBe('running');
    expect((await runs.findById(fresh))!.status).toBe('running');
    expect(await runs.countEvents(gone, 'error')).toBe(1);
    // Ended once: the next sweep finds nothing more.
    expect(await sweeper.sweep()).toEqual([]);
  });
});
