import { Queue, Worker, type Job } from 'bullmq';
import { redisOptionsFromUrl } from '@app/common';
import { testQueuePrefix, testServices, waitFor } from '@app/testing';
import { applyLockTimings } from '../src/queue/worker-lifecycle';

/** WORKER_LOCK_MS reaches BullMQ: the lock, its renewal, the stalled check, and a dead worker's job comes back. */
describe('worker lock timings (e2e, real Redis)', () => {
  jest.setTimeout(90_000);
  const prefix = testQueuePrefix('worker-lock');
  const connection = () => redisOptionsFromUrl(testServices().redisUrl);
  const closing: Array<{ close(force?: boolean): Promise<unknown> }> = [];

  afterAll(async () => {
    for (const c of closing.reverse()) await c.close(true).catch(() => undefined);
  });

  it('sets the lock, its renewal at half of it and the stalled check, in the lock manager too', async () => {
    const worker = new Worker('lock-a', async () => undefined, { autorun: false, connection: connection(), prefix });
    closing.push(worker);
    applyLockTimings(worker, 7_000);
    expect(worker.opts).toMatchObject({ lockDuration: 7_000, lockRenewTime: 3_500, stalledInterval: 7_000 });
    expect((worker as unknown as { lockManager: { opts: object } }).lockManager.opts).toMatchObject({ lockDuration: 7_000, lockRenewTime: 3_500 });
  });

  it('gives the job of a worker that stopped dead back to another worker once the lock lapses', async () => {
    const queue = new Queue('lock-b', { connection: connection(), prefix });
    closing.push(queue);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = new Worker('lock-b', () => held, { autorun: false, connection: connection(), prefix, maxStalledCount: 1 });
    applyLockTimings(first, 5_000);
    void first.run();
    // eslint-disable-next-line no-restricted-syntax -- a bare BullMQ queue of the test's own, not a contract queue: the test is about BullMQ's lock
    const job = await queue.add('work', { n: 1 });
    await waitFor('the first worker to take the job', async () => (await queue.getJobState(job.id!)) === 'active', 15_000);
    // Dead as a killed process: no more lock renewals, the job left active.
    await first.close(true);
    release();

    const doneBy: string[] = [];
    const second = new Worker(
      'lock-b',
      async (j: Job) => {
        doneBy.push(String(j.id));
      },
      { autorun: false, connection: connection(), prefix },
    );
    closing.push(second);
    applyLockTimings(second, 5_000);
    void second.run();
    await waitFor('the stalled job to run again on the second worker', () => doneBy.includes(String(job.id)), 60_000, 200);
    expect(await queue.getJobState(job.id!)).toBe('completed');
  });
});
