import { AmcApiError } from './amc-api.error';
import { AmcClient, nextAmcCursor } from './amc.client';

/** The client's paging and failure logic with a scripted fetch (the contract tests use the sandbox). */
type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | Error | ((init: RequestInit) => Promise<Response>);

function scripted(replies: Reply[]) {
  const urls: string[] = [];
  const methods: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    urls.push(url);
    methods.push(init.method ?? 'GET');
    const reply = replies.shift();
    if (!reply) throw new Error('no more scripted replies');
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(init);
    return new Response(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), { status: reply.status ?? 200, headers: reply.headers });
  }) as unknown as typeof fetch;
  return { fetchFn, urls, methods, posts: () => methods.filter((m) => m === 'POST').length };
}

const division = (id: number) => ({ id: String(id), name: `D${id}`, last_modified_time: '2026-01-01T00:00:00Z' });
const divisions = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => division(from + i));
const ok = (records: unknown[], pagination?: Record<string, unknown>) => ({ body: { response: records, meta: { ...(pagination ? { pagination } : {}), errors: [] } } });
const client = (fetchFn: typeof fetch, overrides: { token?: string; pageSize?: number; timeoutMs?: number } = {}) =>
  new AmcClient({
    baseUrl: 'http://amc.test',
    token: overrides.token ?? 'secret-token',
    fetch: fetchFn,
    requestsPerSecond: 0,
    maxAttempts: 3,
    backoff: { baseMs: 1, maxMs: 2 },
    pageSize: overrides.pageSize ?? 2,
    timeoutMs: overrides.timeoutMs,
  });
const param = (url: string, name: string) => new URL(url).searchParams.get(name);
const ids = (records: Array<{ id: string }>) => records.map((r) => r.id);

describe('nextAmcCursor: the stop rule on hand-made answers', () => {
  const three = divisions(1, 3);

  describe('page_number style (current_page / total_pages)', () => {
    it('goes on to the next page while current_page < total_pages, whatever the page length', () => {
      expect(nextAmcCursor('divisions', three, { total_pages: 4, current_page: 1, number_records_returned: 3 }, {})).toEqual({ pageNumber: 2 });
      // One record where 500 were asked for: a capped page, not the end.
      expect(nextAmcCursor('divisions', [division(9)], { total_pages: '4', current_page: '3', number_records_returned: '1' }, { pageNumber: 3 })).toEqual({ pageNumber: 4 });
    });

    it('stops when current_page reaches total_pages', () => {
      expect(nextAmcCursor('divisions', three, { total_pages: 4, current_page: 4 }, { pageNumber: 4 })).toBeNull();
      expect(nextAmcCursor('divisions', three, { total_pages: '2', current_page: '3' }, { pageNumber: 3 })).toBeNull();
      expect(nextAmcCursor('divisions', three, { total_pages: 1, current_page: 1 }, {})).toBeNull();
    });

    it('takes the page asked for when current_page is missing, and goes on until an empty page without total_pages', () => {
      expect(nextAmcCursor('divisions', three, { total_pages: 5 }, { pageNumber: 2 })).toEqual({ pageNumber: 3 });
      expect(nextAmcCursor('divisions', three, { current_page: 7 }, { pageNumber: 7 })).toEqual({ pageNumber: 8 });
      expect(nextAmcCursor('divisions', [], { current_page: 8 }, { pageNumber: 8 })).toBeNull();
    });
  });

  describe('last_id style (last_id / total_records)', () => {
    it('goes on after meta last_id, counting the records read, until they reach total_records', () => {
      expect(nextAmcCursor('divisions', three, { last_id: '3', total_records: 10 }, {})).toEqual({ lastId: '3', read: 3 });
      // A short page (3 of the 50 asked for) with records still to come: not the end.
      expect(nextAmcCursor('divisions', divisions(4, 6), { last_id: '6', total_records: '10' }, { lastId: '3', read: 3 })).toEqual({ lastId: '6', read: 6 });
      expect(nextAmcCursor('divisions', divisions(7, 9), { last_id: '9', total_records: 10 }, { lastId: '6', read: 6 })).toEqual({ lastId: '9', read: 9 });
      expect(nextAmcCursor('divisions', [division(10)], { last_id: '10', total_records: 10 }, { lastId: '9', read: 9 })).toBeNull();
      expect(nextAmcCursor('divisions', three, { last_id: '3', total_records: 3 }, {})).toBeNull();
    });

    it('counts from 0 when the cursor does not say (a resumed read), which can only cost an empty page', () => {
      expect(nextAmcCursor('divisions', divisions(8, 10), { last_id: '10', total_records: 10 }, { lastId: '7' })).toEqual({ lastId: '10', read: 3 });
      expect(nextAmcCursor('divisions', [], { last_id: null, total_records: 10 }, { lastId: '10', read: 3 })).toBeNull();
    });

    it('stops when last_id stops advancing, and takes the last record id when the meta has none', () => {
      expect(nextAmcCursor('divisions', three, { last_id: '3', total_records: 99 }, { lastId: '3', read: 3 })).toBeNull();
      expect(nextAmcCursor('divisions', three, { last_id: null, total_records: 99 }, {})).toEqual({ lastId: '3', read: 3 });
      expect(nextAmcCursor('inventory', [{ sku_id: '41' }, { sku_id: '42' }], { total_records: 99 }, {})).toEqual({ lastId: '42', read: 2 });
    });
  });

  describe('no pagination meta at all', () => {
    it('goes on after the last record id, until an empty page or an id that stops advancing', () => {
      expect(nextAmcCursor('divisions', [division(1)], {}, {})).toEqual({ lastId: '1', read: 1 });
      expect(nextAmcCursor('divisions', divisions(2, 3), {}, { lastId: '1', read: 1 })).toEqual({ lastId: '3', read: 3 });
      expect(nextAmcCursor('divisions', [], {}, { lastId: '3', read: 3 })).toBeNull();
      expect(nextAmcCursor('divisions', divisions(1, 3), {}, { lastId: '3', read: 3 })).toBeNull();
      // Records without their id field: nothing to page after.
      expect(nextAmcCursor('divisions', [{ name: 'no id' }], {}, {})).toBeNull();
    });
  });
});

describe('AmcClient paging', () => {
  it('follows last_id from the meta and stops when the records read reach total_records', async () => {
    const { fetchFn, urls } = scripted([ok(divisions(1, 2), { last_id: '2', total_records: 3 }), ok([division(3)], { last_id: '3', total_records: 3 })]);
    const { records } = await client(fetchFn).list('divisions');
    expect(ids(records)).toEqual(['1', '2', '3']);
    expect(urls.map((u) => param(u, 'pagination[last_id]'))).toEqual([null, '2']);
    expect(urls.every((u) => param(u, 'pagination[page_size]') === '2' && param(u, 'token') === 'secret-token' && /^\d+$/.test(param(u, 'time')!))).toBe(true);
  });

  it('reads on through pages capped below the size asked for (last_id style), without an extra empty page', async () => {
    // Asks for 50, the server caps at 2: every page is "short".
    const { fetchFn, urls } = scripted([
      ok(divisions(1, 2), { last_id: '2', total_records: 5 }),
      ok(divisions(3, 4), { last_id: '4', total_records: 5 }),
      ok([division(5)], { last_id: '5', total_records: 5 }),
    ]);
    const { records } = await client(fetchFn, { pageSize: 50 }).list('divisions');
    expect(ids(records)).toEqual(['1', '2', '3', '4', '5']);
    expect(urls.map((u) => param(u, 'pagination[last_id]'))).toEqual([null, '2', '4']);
    expect(urls.every((u) => param(u, 'pagination[page_size]') === '50')).toBe(true);
  });

  it('counts records that fail validation towards total_records', async () => {
    const { fetchFn, urls } = scripted([ok([division(1), { id: '2' }], { last_id: '2', total_records: 4 }), ok(divisions(3, 4), { last_id: '4', total_records: 4 })]);
    const { records, invalid } = await client(fetchFn, { pageSize: 50 }).list('divisions');
    expect(ids(records)).toEqual(['1', '3', '4']);
    expect(invalid.map((i) => i.id)).toEqual(['2']);
    expect(urls).toHaveLength(2);
  });

  it('follows page numbers through capped pages until current_page reaches total_pages', async () => {
    const page = (n: number, records: unknown[]) => ok(records, { total_pages: 3, current_page: n, number_records_returned: records.length });
    const { fetchFn, urls } = scripted([page(1, divisions(1, 2)), page(2, divisions(3, 4)), page(3, [division(5)])]);
    const { records } = await client(fetchFn, { pageSize: 50 }).list('divisions');
    expect(ids(records)).toEqual(['1', '2', '3', '4', '5']);
    expect(urls.map((u) => param(u, 'pagination[page_number]'))).toEqual([null, '2', '3']);
  });

  it('without pagination meta, asks after the last id until an empty page', async () => {
    const { fetchFn, urls } = scripted([ok(divisions(1, 2)), ok([division(3)]), ok([])]);
    const { records } = await client(fetchFn, { pageSize: 50 }).list('divisions');
    expect(ids(records)).toEqual(['1', '2', '3']);
    expect(urls.map((u) => param(u, 'pagination[last_id]'))).toEqual([null, '2', '3']);
  });

  it('stops when last_id stops moving instead of looping', async () => {
    const { fetchFn, urls } = scripted([ok(divisions(1, 2), { last_id: '2' }), ok(divisions(1, 2), { last_id: '2' })]);
    const { records } = await client(fetchFn).list('divisions');
    expect(urls).toHaveLength(2);
    expect(records).toHaveLength(4);
  });

  it('raises instead of looping when a page_number answer is behind the page asked for', async () => {
    const page1 = ok(divisions(1, 2), { total_pages: 3, current_page: 1 });
    const { fetchFn, urls } = scripted([page1, page1]);
    const err = (await client(fetchFn)
      .list('divisions')
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err).toBeInstanceOf(AmcApiError);
    expect(err.message).toMatch(/asked for page 2, answered page 1/);
    expect(err.retryable).toBe(false);
    expect(urls).toHaveLength(2);
  });
});

describe('AmcClient single pages', () => {
  it('hands back the next cursor (with the records read) so a job can resume, and null at the end', async () => {
    const { fetchFn, urls } = scripted([ok(divisions(1, 2), { last_id: '2', total_records: 3 }), ok([division(3)], { last_id: '3', total_records: 3 })]);
    const amc = client(fetchFn);
    const first = await amc.page('divisions');
    expect(first.next).toEqual({ lastId: '2', read: 2 });
    expect(first.totalRecords).toBe(3);
    const second = await amc.page('divisions', { cursor: first.next! });
    expect(second.records.map((r) => r.id)).toEqual(['3']);
    expect(second.next).toBeNull();
    expect(param(urls[1], 'pagination[last_id]')).toBe('2');
    expect(urls[1]).not.toContain('read');
  });

  it('answers a page-number cursor from a page_number account', async () => {
    const { fetchFn } = scripted([ok(divisions(1, 2), { total_pages: 2, current_page: 1, number_records_returned: 2 })]);
    expect((await client(fetchFn).page('divisions')).next).toEqual({ pageNumber: 2 });
  });
});

/** A fetch that answers only when its signal aborts, as a server that never answers. */
const neverAnswers = (init: RequestInit) => new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject((init.signal as AbortSignal).reason)));
/** fetch's own failure: `TypeError('fetch failed')` with the system error as its cause. */
const networkError = (code: string, message = code) => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
/** A 200 whose body is cut off half-way. */
const cutOff = async () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"response": [{"order_id": "1"'));
        controller.error(new TypeError('terminated'));
      },
    }),
    { status: 200 },
  );
const status = (code: number) => ({ status: code, body: { response: [], meta: { errors: [`HTTP ${code} (test)`] } } });
const orderRecord = (joorId: string) => ({ order_id: '77', customer_id: '3', joor_id: joorId, last_modified_time: '2026-01-01T00:00:00Z', order_items: [{ id: '1', sku_id: '4', qty: '1' }] });
const anOrder = { header: { customer_id: '3', joor_id: 'J-1' }, items: [{ sku_id: '4', qty: 1 }] };

describe('AmcClient: a create that may have reached AMC is never sent again', () => {
  it.each<[string, Reply, number | null]>([
    ['a timeout', neverAnswers, null],
    ['a connection reset', networkError('ECONNRESET', 'read ECONNRESET'), null],
    ['a socket hang-up', networkError('UND_ERR_SOCKET', 'other side closed'), null],
    ["Node's socket hang up", networkError('ECONNRESET', 'socket hang up'), null],
    ['a body cut off', cutOff, 200],
    ['a malformed body', { body: '{"response": [' }, 200],
    ['a 500', status(500), 500],
    ['a 502', status(502), 502],
    ['a 503', status(503), 503],
    ['a 503 with Retry-After', { ...status(503), headers: { 'retry-after': '0' } }, 503],
    ['a 504', status(504), 504],
  ])('%s: one POST, then outcomeUnknown', async (_name, reply, httpStatus) => {
    // A success is scripted next: a second POST would create the order (twice) and not raise.
    const { fetchFn, posts } = scripted([reply, ok([orderRecord('J-1')])]);
    const err = (await client(fetchFn, { timeoutMs: 30 })
      .createOrder(anOrder)
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err).toBeInstanceOf(AmcApiError);
    expect(err.details).toMatchObject({ outcomeUnknown: true, retryable: true, attempts: 1, method: 'POST', path: 'orders', status: httpStatus });
    expect(posts()).toBe(1);
  });

  it.each<[string, Reply]>([
    ['a 429', { status: 429, body: { response: [], meta: { errors: ['Too many requests'] } }, headers: { 'retry-after': '0' } }],
    ['a refused connection', networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4001')],
    ['an unknown host', networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND amc.test')],
    ['a refused connection on every address', new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:4001'), { code: 'ECONNREFUSED' })]) })],
  ])('%s never reached AMC: sent again, and the order is created once', async (_name, reply) => {
    const { fetchFn, posts } = scripted([reply, ok([orderRecord('J-1')])]);
    const order = await client(fetchFn).createOrder(anOrder);
    expect(order.order_id).toBe('77');
    expect(posts()).toBe(2);
  });

  it('stops at the first failure that may have reached AMC, after retrying those that did not', async () => {
    const { fetchFn, posts } = scripted([networkError('ECONNREFUSED'), status(504), ok([orderRecord('J-1')])]);
    const err = (await client(fetchFn)
      .createOrder(anOrder)
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err.details).toMatchObject({ outcomeUnknown: true, status: 504, attempts: 2 });
    expect(posts()).toBe(2);
  });

  it('raises a persistent 429 as retryable, with no doubt about the outcome', async () => {
    const refused = { status: 429, body: { response: [], meta: { errors: ['Too many requests'] } }, headers: { 'retry-after': '0' } };
    const { fetchFn, posts } = scripted([refused, refused, refused]);
    const err = (await client(fetchFn)
      .createOrder(anOrder)
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err.details).toMatchObject({ status: 429, retryable: true, attempts: 3 });
    expect(err.details.outcomeUnknown).toBeUndefined();
    expect(posts()).toBe(3);
  });

  it('treats every create alike (products, customers)', async () => {
    const products = scripted([status(503), ok([])]);
    const product = (await client(products.fetchFn)
      .createProduct({ style_number: 'S-1' })
      .catch((e: unknown) => e)) as AmcApiError;
    expect(product.details).toMatchObject({ outcomeUnknown: true, attempts: 1 });
    const customers = scripted([networkError('ECONNRESET'), ok([])]);
    const customer = (await client(customers.fetchFn)
      .createCustomer({ customer_name: 'C' })
      .catch((e: unknown) => e)) as AmcApiError;
    expect(customer.details).toMatchObject({ outcomeUnknown: true, attempts: 1 });
    expect(products.posts() + customers.posts()).toBe(2);
  });
});

describe('AmcClient: idempotent calls keep retrying', () => {
  const sku = { sku_id: '4', product_id: '1', style_number: 'S', size: 'M', active: '1', joor_sync: '1', qty_inventory: '5', qty_avail_sell: '5', last_modified_time: '2026-01-01T00:00:00Z' };

  it.each<[string, Reply]>([
    ['a timeout', neverAnswers],
    ['a connection reset', networkError('ECONNRESET')],
    ['a socket hang-up', networkError('UND_ERR_SOCKET', 'other side closed')],
    ['a 502', status(502)],
    ['a 503', status(503)],
    ['a 504', status(504)],
  ])('GET and PUT through %s', async (_name, reply) => {
    const gets = scripted([reply, ok([division(1)], { last_id: '1', total_records: 1 })]);
    expect(ids((await client(gets.fetchFn, { timeoutMs: 30 }).list('divisions')).records)).toEqual(['1']);
    expect(gets.methods).toEqual(['GET', 'GET']);

    const puts = scripted([reply, ok([sku])]);
    expect((await client(puts.fetchFn, { timeoutMs: 30 }).updateInventory('4', { qty_inventory: 5 })).qty_inventory).toBe(5);
    expect(puts.methods).toEqual(['PUT', 'PUT']);
  });

  it('gives up after its attempts with retryable and no outcomeUnknown', async () => {
    const { fetchFn, methods } = scripted([status(504), status(504), status(504)]);
    const err = (await client(fetchFn)
      .updateInventory('4', { qty_inventory: 5 })
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err.details).toMatchObject({ status: 504, retryable: true, attempts: 3 });
    expect(err.details.outcomeUnknown).toBeUndefined();
    expect(methods).toEqual(['PUT', 'PUT', 'PUT']);
  });
});

describe('AmcClient failures', () => {
  it('retries a body that is not an AMC envelope, then succeeds', async () => {
    const { fetchFn, urls } = scripted([{ body: '{"response": [' }, { body: { unexpected: true } }, ok([division(1)], {}), ok([], {})]);
    expect((await client(fetchFn).list('divisions')).records).toHaveLength(1);
    // Three attempts at the first page, then the empty page that ends a read without pagination meta.
    expect(urls).toHaveLength(4);
  });

  it('raises meta.errors in a 200 as permanent without retrying', async () => {
    const { fetchFn, urls } = scripted([{ body: { response: [], meta: { errors: ['Customer 9 does not exist'] } } }]);
    const err = (await client(fetchFn)
      .createOrder({ header: { customer_id: '9' }, items: [{ sku_id: '1', qty: 1 }] })
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err.details).toMatchObject({ status: 200, retryable: false, amcErrors: ['Customer 9 does not exist'], attempts: 1 });
    expect(err.details.outcomeUnknown).toBeUndefined();
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
