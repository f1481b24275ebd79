import { DEFAULT_JOB_OPTIONS, jobOptionsFor } from './job-options';
import { buildJobId, jobIds } from './job-ids';
import { JOB_DEFINITIONS, SYNC_KIND_JOBS, isAvailableSyncKind, jobNamesOf, runJobDefinition, type JobName, type JobPayload } from './jobs';
import { CANARY_JOB, CATALOG_SYNC_JOB, ORDERS_POLL_JOB, RUN_JOBS, defineRunJob, type CatalogSyncPayload, type CustomerSyncPayload, type MediaSyncPayload, type OrdersPollPayload } from './jobs/index';
import { FOLLOW_UP_WINDOW_MS, followUpJob } from './follow-ups';
import { CANARY_QUEUES, CANARY_QUEUE_NAMES, SYNC_QUEUE_NAMES } from './queues';
import { QUEUE_SERVICE, SYNC_NAMES } from './sync-names';
import { SYNC_KINDS } from './sync-runs';

/** Compile-time checks: `npm run typecheck` fails when one does not hold. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typeChecks: Array<true> = [
  true satisfies Same<JobName<'catalog-sync'>, 'mesh.canary' | 'catalog.sync'>,
  true satisfies Same<JobName<'order-ingest'>, 'mesh.canary' | 'orders.poll'>,
  true satisfies Same<JobName<'media-sync'>, 'mesh.canary' | 'media.sync'>,
  true satisfies Same<JobPayload<'media-sync', 'media.sync'>, MediaSyncPayload>,
  true satisfies Same<JobName<'customer-sync'>, 'mesh.canary' | 'customer.sync'>,
  true satisfies Same<JobPayload<'customer-sync', 'customer.sync'>, CustomerSyncPayload>,
  true satisfies Same<JobName<'catalog-sync-canary'>, 'mesh.canary'>,
  true satisfies Same<JobPayload<'catalog-sync', 'catalog.sync'>, CatalogSyncPayload>,
  true satisfies Same<JobPayload<'order-ingest', 'orders.poll'>, OrdersPollPayload>,
  true satisfies Same<(typeof SYNC_KIND_JOBS)['styles'], { readonly queue: 'catalog-sync'; readonly job: 'catalog.sync' }>,
];

// A job in another service's queue, or at another budget priority than its kind's, does not compile.
// @ts-expect-error styles are served by catalog-sync
defineRunJob<CatalogSyncPayload>()({ name: 'x.sync', kind: 'styles', queue: 'order-ingest', priority: 'catalog', options: {} });
// @ts-expect-error styles run at the catalog priority
defineRunJob<CatalogSyncPayload>()({ name: 'x.sync', kind: 'styles', queue: 'catalog-sync', priority: 'orders', options: {} });

describe('contracts', () => {
  it('holds its compile-time checks', () => {
    expect(typeChecks.every(Boolean)).toBe(true);
  });

  it('lists the job names of every queue, from the job definitions', () => {
    for (const queue of [...SYNC_QUEUE_NAMES, ...CANARY_QUEUE_NAMES]) expect(jobNamesOf(queue)).toContain(CANARY_JOB);
    expect(jobNamesOf('catalog-sync')).toEqual([CANARY_JOB, CATALOG_SYNC_JOB]);
    expect(jobNamesOf('order-ingest')).toEqual([CANARY_JOB, ORDERS_POLL_JOB]);
    expect(jobNamesOf('catalog-sync-canary')).toEqual([CANARY_JOB]);
    expect(new Set(JOB_DEFINITIONS.map((d) => d.name)).size).toBe(JOB_DEFINITIONS.length);
  });

  it('derives the trigger table from the run jobs, each in its kind’s queue at its kind’s priority', () => {
    expect(SYNC_KIND_JOBS).toEqual({
      styles: { queue: 'catalog-sync', job: 'catalog.sync' },
      orders: { queue: 'order-ingest', job: 'orders.poll' },
      inventory: { queue: 'inventory-sync', job: 'inventory.sync' },
      customers: { queue: 'customer-sync', job: 'customer.sync' },
      images: { queue: 'media-sync', job: 'media.sync' },
    });
    expect(isAvailableSyncKind('styles')).toBe(true);
    expect(isAvailableSyncKind('images')).toBe(true);
    expect(isAvailableSyncKind('toString')).toBe(false);
    for (const job of RUN_JOBS) {
      expect(job.queue).toBe(SYNC_NAMES[job.kind].queue);
      expect(job.priority).toBe(SYNC_NAMES[job.kind].priority);
      expect(runJobDefinition(job.name)).toBe(job);
    }
  });

  it('names each concept once per place: one row per kind, one service and queue and canary queue each', () => {
    expect(Object.keys(SYNC_NAMES).sort()).toEqual([...SYNC_KINDS].sort());
    const rows = Object.values(SYNC_NAMES);
    expect(rows.map((r) => r.queue).sort()).toEqual([...SYNC_QUEUE_NAMES].sort());
    for (const row of rows) {
      expect(row.service).toBe(row.queue);
      expect(row.canaryQueue).toBe(CANARY_QUEUES[row.queue]);
      expect(QUEUE_SERVICE[row.queue]).toBe(row.service);
    }
    expect(new Set(rows.map((r) => r.priority)).size).toBe(rows.length);
  });

  it('keeps failed jobs and retries with exponential backoff and jitter by default', () => {
    expect(DEFAULT_JOB_OPTIONS.attempts).toBeGreaterThan(1);
    expect(DEFAULT_JOB_OPTIONS.backoff).toMatchObject({ type: 'exponential', jitter: expect.any(Number) });
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).toMatchObject({ age: expect.any(Number), count: expect.any(Number) });
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).not.toBe(true);
    expect(jobOptionsFor('catalog-sync', 'catalog.sync')).toMatchObject(DEFAULT_JOB_OPTIONS);
  });

  it('never retries a canary, on a sync queue or a canary queue', () => {
    expect(jobOptionsFor('catalog-sync', 'mesh.canary').attempts).toBe(1);
    expect(jobOptionsFor('media-sync-canary', 'mesh.canary').attempts).toBe(1);
  });

  it('builds deterministic job ids without BullMQ separators', () => {
    expect(buildJobId('style', 'conn:1', 'ST 01')).toBe('style-conn_1-ST_01');
    expect(jobIds.canary('media-sync', 'abc')).toBe(jobIds.canary('media-sync', 'abc'));
    expect(() => buildJobId()).toThrow();
  });

  describe('follow-ups', () => {
    const W = FOLLOW_UP_WINDOW_MS;
    const at = 1_700_000_000_000 - (1_700_000_000_000 % W); // the start of a window

    it('map every request of one window, target, connection and causing run to one job, delayed to the window’s end', () => {
      const ids = new Set<string>();
      for (let offset = 0; offset < W; offset += 997) {
        const job = followUpJob(ORDERS_POLL_JOB, 'conn-1', 'run-1', {}, at + offset);
        ids.add(job.jobId);
        expect(job.delay).toBe(W - offset);
      }
      expect(ids.size).toBe(1);
      const job = followUpJob(ORDERS_POLL_JOB, 'conn-1', 'run-1', {}, at);
      expect(job).toMatchObject({ queue: 'order-ingest', name: 'orders.poll', payload: { connectionId: 'conn-1', trigger: 'follow-up', causedBy: 'run-1' } });
      expect(job.payload).not.toHaveProperty('runId');
    });

    it('start a new job in the next window, and keep targets, connections and causes apart', () => {
      const base = followUpJob(CATALOG_SYNC_JOB, 'conn-1', 'run-1', { full: false }, at).jobId;
      expect(followUpJob(CATALOG_SYNC_JOB, 'conn-1', 'run-1', { full: false }, at + W).jobId).not.toBe(base);
      expect(followUpJob(ORDERS_POLL_JOB, 'conn-1', 'run-1', {}, at).jobId).not.toBe(base);
      expect(followUpJob(CATALOG_SYNC_JOB, 'conn-2', 'run-1', {}, at).jobId).not.toBe(base);
      expect(followUpJob(CATALOG_SYNC_JOB, 'conn-1', 'run-2', {}, at).jobId).not.toBe(base);
      expect(() => followUpJob(CATALOG_SYNC_JOB, 'conn-1', 'run-1', {}, at, 0)).toThrow(/positive/);
    });
  });
});
