import { DEFAULT_JOB_OPTIONS, jobOptionsFor } from './job-options';
import { buildJobId, jobIds } from './job-ids';
import { jobNamesOf } from './jobs';
import { SYNC_QUEUE_NAMES } from './queues';

describe('contracts', () => {
  it('lists the job names of every queue', () => {
    for (const queue of SYNC_QUEUE_NAMES) expect(jobNamesOf(queue)).toContain('mesh.canary');
  });

  it('keeps failed jobs and retries with exponential backoff and jitter by default', () => {
    expect(DEFAULT_JOB_OPTIONS.attempts).toBeGreaterThan(1);
    expect(DEFAULT_JOB_OPTIONS.backoff).toMatchObject({ type: 'exponential', jitter: expect.any(Number) });
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).toMatchObject({ age: expect.any(Number), count: expect.any(Number) });
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).not.toBe(true);
  });

  it('never retries a canary', () => {
    expect(jobOptionsFor('catalog-sync', 'mesh.canary').attempts).toBe(1);
  });

  it('builds deterministic job ids without BullMQ separators', () => {
    expect(buildJobId('style', 'conn:1', 'ST 01')).toBe('style-conn_1-ST_01');
    expect(jobIds.canary('media-sync', 'abc')).toBe(jobIds.canary('media-sync', 'abc'));
    expect(() => buildJobId()).toThrow();
  });
});
