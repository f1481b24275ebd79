import { Queue } from 'bullmq';
import { CANARY_JOB, addJob, jobIds } from '@app/contracts';
import { redisOptionsFromUrl } from '@app/common';
import { ServiceProcess, createTestDatabase, freePort, testProcessEnv, testQueuePrefix, testServices, waitFor, type TestDatabase } from '@app/testing';

/** The services as production runs them: separate processes started from the build. */
describe('service processes (e2e)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('process');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it.each([
    ['catalog-sync', { REDIS_URL: 'localhost:6379' }, ['REDIS_URL']],
    ['order-ingest', { DATABASE_URL: 'mysql://db/x', PORT: 'http' }, ['DATABASE_URL', 'PORT']],
  ] as const)('%s refuses to boot with a bad environment, naming each bad variable', async (service, bad, named) => {
    const port = await freePort();
    const proc = ServiceProcess.start(service, { ...testProcessEnv(service, { databaseUrl: db.url, queuePrefix: testQueuePrefix('badcfg'), port }), ...bad }, port);
    const exit = await proc.exited();
    expect(exit.code).toBe(1);
    const output = proc.output.join('\n');
    for (const variable of named) expect(output).toContain(variable);
    expect(output).toMatch(/refused to start/);
  });

  it('the gateway refuses production mode without real secrets, naming each', async () => {
    const port = await freePort();
    const proc = ServiceProcess.start('gateway', { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), REDIS_URL: 'redis://redis:6379', DATABASE_URL: 'postgres://db/x' }, port);
    const exit = await proc.exited();
    expect(exit.code).toBe(1);
    const output = proc.output.join('\n');
    for (const variable of ['GATEWAY_API_KEY', 'BULL_BOARD_USER', 'BULL_BOARD_PASSWORD', 'SECRETS_ENCRYPTION_KEY']) expect(output).toContain(variable);
  });

  describe('graceful shutdown', () => {
    let queue: Queue;
    let prefix: string;

    beforeEach(() => {
      prefix = testQueuePrefix('sigterm');
      queue = new Queue('media-sync', { connection: redisOptionsFromUrl(testServices().redisUrl), prefix });
    });

    afterEach(async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    });

    async function startMediaSync(extra: Record<string, string> = {}): Promise<ServiceProcess> {
      const port = await freePort();
      const proc = ServiceProcess.start('media-sync', testProcessEnv('media-sync', { databaseUrl: db.url, queuePrefix: prefix, port, extra }), port);
      await proc.ready();
      return proc;
    }

    async function addCanary(probeId: string, holdMs: number) {
      return addJob(queue, 'media-sync', CANARY_JOB, { probeId, sentAt: new Date().toISOString(), holdMs }, { jobId: jobIds.canary('media-sync', probeId) });
    }

    it('on SIGTERM stops taking jobs, lets the running one finish, and exits 0', async () => {
      const proc = await startMediaSync();
      const job = await addCanary('drain', 3_000);
      await waitFor('the job to become active', async () => (await job.getState()) === 'active');
      const signalledAt = Date.now();
      proc.child.kill('SIGTERM');
      await waitFor('the drain to begin', () => proc.output.some((line) => line.includes('draining worker')));
      const late = await addCanary('late', 0);
      const exit = await proc.exited();
      expect(exit).toEqual({ code: 0, signal: null });
      const finished = await queue.getJob(job.id!);
      expect(await finished!.getState()).toBe('completed');
      expect(finished!.returnvalue).toMatchObject({ probeId: 'drain' });
      // It waited for the job: still running when the signal came, it finished before the exit.
      expect(finished!.finishedOn).toBeGreaterThan(signalledAt);
      expect(await late.getState()).toBe('waiting');
      expect(proc.output.join('\n')).toMatch(/stopped cleanly/);
    });

    it('bounds the drain: a job longer than SHUTDOWN_TIMEOUT_MS does not hold the exit', async () => {
      const shutdownTimeoutMs = 1_000;
      // libs/common/src/bootstrap/run-service.ts: past SHUTDOWN_TIMEOUT_MS plus this, a process that
      // is still closing exits 1 (the backstop); a clean exit comes before it.
      const backstopMarginMs = 10_000;
      // The job would hold the exit far past both if the drain were not bounded.
      const jobMs = 3 * (shutdownTimeoutMs + backstopMarginMs);
      const proc = await startMediaSync({ SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) });
      const job = await addCanary('long', jobMs);
      await waitFor('the job to become active', async () => (await job.getState()) === 'active');
      const signalledAt = Date.now();
      const exit = await proc.stop('SIGTERM');
      expect(exit.code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(shutdownTimeoutMs + backstopMarginMs);
      expect(await job.getState()).not.toBe('completed');
      expect(proc.output.join('\n')).toMatch(/drain timed out/);
    });
  });
});
