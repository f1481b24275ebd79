import { CallLog, type CallRecord, splitUrl } from './call-log';

function call(path: string): Omit<CallRecord, 'seq'> {
  return { at: '2026-11-27T00:00:00.000Z', method: 'GET', path, query: '', status: 200, durationMs: 1, credits: 1, account: null, fault: null, faultPhase: null };
}

describe('CallLog', () => {
  it('numbers calls and lists those after `since`, filtered by path prefix and limit', () => {
    const log = new CallLog({ callLogSize: 10 });
    ['/v4/products', '/v4/skus', '/v2/order/', '/v4/products/bulk_create'].forEach((p) => log.record(call(p)));
    expect(log.list().calls.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
    expect(log.list({ since: 2 }).calls.map((c) => c.path)).toEqual(['/v2/order/', '/v4/products/bulk_create']);
    expect(log.list({ pathPrefix: '/v4/products' }).calls.map((c) => c.seq)).toEqual([1, 4]);
    expect(log.list({ limit: 2 }).calls.map((c) => c.seq)).toEqual([1, 2]);
    expect(log.list({ since: 4 })).toEqual({ calls: [], lastSeq: 4, missed: 0 });
  });

  it('keeps only the newest calls and says how many a reader missed', () => {
    const log = new CallLog({ callLogSize: 3 });
    for (let i = 0; i < 7; i++) log.record(call(`/p${i}`));
    expect(log.list().calls.map((c) => c.seq)).toEqual([5, 6, 7]);
    expect(log.list({ since: 2 }).missed).toBe(2);
    expect(log.list({ since: 5 })).toMatchObject({ missed: 0, lastSeq: 7 });
  });

  it('empties on clear but keeps counting, and deleted calls are not "missed"', () => {
    const log = new CallLog({ callLogSize: 5 });
    log.record(call('/a'));
    log.record(call('/b'));
    log.clear();
    expect(log.list()).toEqual({ calls: [], lastSeq: 2, missed: 0 });
    expect(log.record(call('/c')).seq).toBe(3);
    expect(log.list().calls.map((c) => c.path)).toEqual(['/c']);
  });
});

describe('splitUrl', () => {
  it('separates the path and redacts secret-looking query parameters', () => {
    expect(splitUrl('/api/json/products?token=abc123&time=1700000000&pagination%5Bpage_size%5D=50')).toEqual({
      path: '/api/json/products',
      query: 'token=REDACTED&time=1700000000&pagination%5Bpage_size%5D=50',
    });
    expect(splitUrl('/auth/?client_secret=s&password=p&api_key=k&account=12')).toEqual({ path: '/auth/', query: 'client_secret=REDACTED&password=REDACTED&api_key=REDACTED&account=12' });
    expect(splitUrl('/v4/skus')).toEqual({ path: '/v4/skus', query: '' });
  });
});
