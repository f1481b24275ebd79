import { AmcApiError } from './amc-api.error';
import { AmcClient } from './amc.client';

/** The client's paging and failure logic with a scripted fetch (the contract tests use the sandbox). */
type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | Error;

function scripted(replies: Reply[]) {
  const urls: string[] = [];
  const fetchFn = (async (url: string) => {
    urls.push(url);
    const reply = replies.shift();
    if (!reply) throw new Error('no more scripted replies');
    if (reply instanceof Error) throw reply;
    return new Response(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), { status: reply.status ?? 200, headers: reply.headers });
  }) as unknown as typeof fetch;
  return { fetchFn, urls };
}

const division = (id: number) => ({ id: String(id), name: `D${id}`, last_modified_time: '2026-01-01T00:00:00Z' });
const ok = (records: unknown[], pagination: Record<string, unknown>) => ({ body: { response: records, meta: { pagination, errors: [] } } });
const client = (fetchFn: typeof fetch, token = 'secret-token') =>
  new AmcClient({ baseUrl: 'http://amc.test', token, fetch: fetchFn, requestsPerSecond: 0, maxAttempts: 3, backoff: { baseMs: 1, maxMs: 2 }, pageSize: 2 });
const param = (url: string, name: string) => new URL(url).searchParams.get(name);

describe('AmcClient paging', () => {
  it('follows last_id from the meta and stops on the short page', async () => {
    const { fetchFn, urls } = scripted([ok([division(1), division(2)], { last_id: '2', total_records: 3 }), ok([division(3)], { last_id: '3', total_records: 3 })]);
    const { records } = await client(fetchFn).list('divisions');
    expect(records.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(urls.map((u) => param(u, 'pagination[last_id]'))).toEqual([null, '2']);
    expect(urls.every((u) => param(u, 'pagination[page_size]') === '2' && param(u, 'token') === 'secret-token' && /^\d+$/.test(param(u, 'time')!))).toBe(true);
  });

  it('switches to page numbers when the account answers in that style', async () => {
    const page = (n: number, records: unknown[]) => ok(records, { total_pages: 3, current_page: n, number_records_returned: records.length });
    const { fetchFn, urls } = scripted([page(1, [division(1), division(2)]), page(2, [division(3), division(4)]), page(3, [division(5), division(6)])]);
    const { records } = await client(fetchFn).list('divisions');
    expect(records).toHaveLength(6);
    expect(urls.map((u) => param(u, 'pagination[page_number]'))).toEqual([null, '2', '3']);
  });

  it('stops when last_id stops moving instead of looping', async () => {
    const { fetchFn, urls } = scripted([ok([division(1), division(2)], { last_id: '2' }), ok([division(1), division(2)], { last_id: '2' })]);
    const { records } = await client(fetchFn).list('divisions');
    expect(urls).toHaveLength(2);
    expect(records).toHaveLength(4);
  });
});

describe('AmcClient single pages', () => {
  it('hands back the next cursor so a job can resume, and null at the end', async () => {
    const { fetchFn, urls } = scripted([ok([division(1), division(2)], { last_id: '2' }), ok([division(3)], { last_id: '3' })]);
    const amc = client(fetchFn);
    const first = await amc.page('divisions');
    expect(first.next).toEqual({ lastId: '2' });
    const second = await amc.page('divisions', { cursor: first.next! });
    expect(second.records.map((r) => r.id)).toEqual(['3']);
    expect(second.next).toBeNull();
    expect(param(urls[1], 'pagination[last_id]')).toBe('2');
  });

  it('answers a page-number cursor from a page_number account', async () => {
    const { fetchFn } = scripted([ok([division(1), division(2)], { total_pages: 2, current_page: 1, number_records_returned: 2 })]);
    expect((await client(fetchFn).page('divisions')).next).toEqual({ pageNumber: 2 });
  });
});

describe('AmcClient failures', () => {
  it('retries a body that is not an AMC envelope, then succeeds', async () => {
    const { fetchFn, urls } = scripted([{ body: '{"response": [' }, { body: { unexpected: true } }, ok([division(1)], {})]);
    expect((await client(fetchFn).list('divisions')).records).toHaveLength(1);
    expect(urls).toHaveLength(3);
  });

  it('raises meta.errors in a 200 as permanent without retrying', async () => {
    const { fetchFn, urls } = scripted([{ body: { response: [], meta: { errors: ['Customer 9 does not exist'] } } }]);
    const err = (await client(fetchFn)
      .createOrder({ header: { customer_id: '9' }, items: [{ sku_id: '1', qty: 1 }] })
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err.details).toMatchObject({ status: 200, retryable: false, amcErrors: ['Customer 9 does not exist'], attempts: 1 });
    expect(urls).toHaveLength(1);
  });

  it('never lets the token out, even when the network layer quotes the URL', async () => {
    const token = 'tok-very-secret-123';
    const { fetchFn } = scripted([new TypeError(`Failed to parse URL from http://amc.test/api/json/divisions?token=${token}`), new TypeError(`bad ${token}`), new TypeError(`bad ${token}`)]);
    const retries: string[] = [];
    const amc = new AmcClient({ baseUrl: 'http://amc.test', token, fetch: fetchFn, requestsPerSecond: 0, maxAttempts: 3, backoff: { baseMs: 1, maxMs: 2 }, onRetry: (e) => retries.push(e.reason) });
    const err = (await amc.list('divisions').catch((e: unknown) => e)) as AmcApiError;
    expect(err.details).toMatchObject({ retryable: true, status: null, attempts: 3 });
    expect(JSON.stringify([err.message, err.details, retries])).not.toContain(token);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new AmcClient({ baseUrl: 'amc.example.com', token: 't' })).toThrow('is not an http(s) URL');
  });

  it('answers null for a record AMC does not have', async () => {
    const { fetchFn } = scripted([{ status: 404, body: { response: [], meta: { errors: ['divisions 9 does not exist'] } } }]);
    expect(await client(fetchFn).get('divisions', '9')).toBeNull();
  });
});
