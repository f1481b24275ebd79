import Redis from 'ioredis';
import { createTestDatabase, testServices, waitFor, type TestDatabase } from '@app/testing';
import { startAmcSandbox, type AmcSandboxApp } from '@app/testing/amc-sandbox-app';
import { AmcApiError, AmcClient, RedisRateLimiter, type AmcConnectionOptions, type AmcCursor } from '@app/amc-client';

/** Contract tests: the typed client against the AMC sandbox over real HTTP and PostgreSQL. */
describe('AmcClient against the AMC sandbox', () => {
  let db: TestDatabase;
  let amc: AmcSandboxApp;
  let counts: Record<string, number>;

  const client = (overrides: Partial<AmcConnectionOptions> = {}) =>
    new AmcClient({
      baseUrl: amc.url,
      token: amc.token,
      // Fast retries and a short timeout keep fault tests quick; production uses the defaults.
      requestsPerSecond: 200,
      timeoutMs: 1_000,
      maxAttempts: 4,
      backoff: { baseMs: 20, maxMs: 100 },
      ...overrides,
    });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${amc.url}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as any;
  };
  const calls = async (path: string): Promise<Array<{ status: number; fault: string | null; faultPhase: string | null; method: string; query: string }>> =>
    (await control('GET', `calls?path=${encodeURIComponent(path)}`)).calls;
  const fault = (path: string, kind: string, times?: number, extra: Record<string, unknown> = {}) =>
    control('POST', 'faults', { rules: [{ path, kinds: [kind], rate: 1, ...(times ? { times } : {}) }], seed: 1, ...extra });
  /** A fault on POST /orders only, struck after the sandbox has created the order. */
  const afterFault = (kind: string, extra: Record<string, unknown> = {}) =>
    control('POST', 'faults', { rules: [{ path: '^/api/json/orders$', method: 'POST', kinds: [kind], rate: 1, times: 1, phase: 'after' }], seed: 1, ...extra });
  /** The POSTs logged under `path`, once there are `n` (a dropped connection is logged when the sandbox sees its socket close). */
  const posts = (path: string, n = 1) =>
    waitFor(`${n} POST(s) to ${path} logged`, async () => {
      const logged = (await calls(path)).filter((call) => call.method === 'POST');
      return logged.length >= n ? logged : undefined;
    });

  beforeAll(async () => {
    db = await createTestDatabase('amc_client', { migrate: false });
    amc = await startAmcSandbox(db.url);
    counts = await amc.seed({ styles: 8, seed: 3 });
  });

  beforeEach(async () => {
    await control('DELETE', 'faults');
    await control('DELETE', 'calls');
  });

  afterAll(async () => {
    await amc?.close();
    await db?.drop();
  });

  it("raises a permanent AmcApiError on a bad token, with AMC's message and never the token", async () => {
    const secret = 'wrong-token-do-not-leak';
    const err = await client({ token: secret })
      .list('divisions')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmcApiError);
    const apiError = err as AmcApiError;
    expect(apiError.details).toMatchObject({ status: 401, retryable: false, amcErrors: ['Invalid token'], attempts: 1 });
    expect(JSON.stringify({ message: apiError.message, details: apiError.details })).not.toContain(secret);
    expect(await calls('/api/json/divisions')).toHaveLength(1);
  });

  it('reads every record through last_id paging, stopping when the records read reach total_records', async () => {
    const { records, invalid } = await client().list('inventory', { pageSize: 7 });
    expect(invalid).toEqual([]);
    expect(records).toHaveLength(counts.inventory);
    expect(new Set(records.map((r) => r.sku_id)).size).toBe(counts.inventory);
    expect(typeof records[0].qty_inventory).toBe('number');
    // No extra request for an empty page: total_records says where the end is.
    expect((await calls('/api/json/inventory')).length).toBe(Math.ceil(counts.inventory / 7));
  });

  describe('pages the sandbox caps below the size the client asks for', () => {
    const CAP = 7;
    /** Every id of a resource, from one uncapped page (checked complete against total_records). */
    const truth = async (resource: 'products' | 'inventory'): Promise<string[]> => {
      const res = await fetch(`${amc.url}/api/json/${resource}?token=${amc.token}&time=${Math.floor(Date.now() / 1000)}&pagination[page_size]=1000`);
      const body = (await res.json()) as { response: Array<Record<string, string>>; meta: { pagination: { total_records: number } } };
      expect(body.response).toHaveLength(body.meta.pagination.total_records);
      return body.response.map((r) => r[resource === 'products' ? 'product_id' : 'sku_id']);
    };
    let expected: Record<'products' | 'inventory', string[]>;

    beforeAll(async () => {
      expected = { products: await truth('products'), inventory: await truth('inventory') };
      // Bigger than one capped page, and not a whole number of them (the last page is short too).
      expect(expected.products.length).toBe(counts.products);
      expect(expected.inventory.length).toBe(counts.inventory);
      expect(expected.products.length).toBeGreaterThan(CAP);
      expect(expected.products.length % CAP).not.toBe(0);
      expect(expected.inventory.length).toBeGreaterThan(CAP);
    });

    afterEach(async () => {
      await control('PUT', 'settings', { maxPageSize: 1000, paging: 'last_id' });
    });

    const cases = (['last_id', 'page_number'] as const).flatMap((paging) =>
      [50, 500].flatMap((pageSize) => (['products', 'inventory'] as const).map((resource) => [paging, pageSize, resource] as const)),
    );

    it.each(cases)('%s style, asking for %i, reads every one of the %s once, in order', async (paging, pageSize, resource) => {
      expect((await control('PUT', 'settings', { maxPageSize: CAP, paging })).maxPageSize).toBe(CAP);
      const { records, invalid } = await client().list(resource, { pageSize });
      expect(invalid).toEqual([]);
      const ids = records.map((r) => ('sku_id' in r ? r.sku_id : r.product_id));
      expect(ids).toEqual(expected[resource]);
      const log = await calls(`/api/json/${resource}`);
      // One request per capped page and none after the last: the answer said where the end was.
      expect(log).toHaveLength(Math.ceil(expected[resource].length / CAP));
      expect(log.every((call) => new URLSearchParams(call.query).get('pagination[page_size]') === String(pageSize))).toBe(true);
    });

    it('hands back page cursors a job can resume from, through capped pages', async () => {
      await control('PUT', 'settings', { maxPageSize: CAP });
      const c = client();
      const ids: string[] = [];
      let cursor: AmcCursor | null | undefined;
      do {
        const page = await c.page('products', { pageSize: 500, ...(cursor ? { cursor } : {}) });
        expect(page.records.length).toBeLessThanOrEqual(CAP);
        ids.push(...page.records.map((r) => r.product_id));
        cursor = page.next;
      } while (cursor);
      expect(ids).toEqual(expected.products);
    });
  });

  it('follows page numbers when the account answers in page_number style', async () => {
    await control('PUT', 'settings', { paging: 'page_number' });
    try {
      const { records } = await client().list('inventory', { pageSize: 7 });
      expect(records).toHaveLength(counts.inventory);
      expect(new Set(records.map((r) => r.sku_id)).size).toBe(counts.inventory);
      expect((await calls('/api/json/inventory')).length).toBe(Math.ceil(counts.inventory / 7));
    } finally {
      await control('PUT', 'settings', { paging: 'last_id' });
    }
  });

  it('filters, reads colorways and warehouse stock, gets single records', async () => {
    const c = client();
    const products = (await c.list('products')).records;
    const productId = products[0].product_id;
    const skus = await c.list('inventory', { filters: [{ field: 'product_id', operator: '=', value: productId }] });
    expect(skus.records.length).toBeGreaterThan(0);
    expect(skus.records.every((s) => s.product_id === productId)).toBe(true);
    const colorways = await c.productAttributes(productId);
    expect(colorways.records.every((a) => a.product_id === productId)).toBe(true);
    const stock = await c.skuWarehouse('1');
    expect(stock.records.length).toBeGreaterThan(0);
    expect(stock.records.every((r) => r.warehouse_id === '1')).toBe(true);

    expect(await c.get('products', productId)).toEqual(products[0]);
    expect(await c.get('products', '99999999')).toBeNull();
    const image = products.flatMap((p) => p.images)[0];
    expect((await fetch(c.imageUrl(image.img))).headers.get('content-type')).toBe('image/png');
  });

  it('reads incrementally by last_modified_time after a stock update', async () => {
    const c = client();
    const since = new Date(Date.now() - 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect((await c.modifiedSince('inventory', since)).records).toEqual([]);
    const updated = await c.updateInventory('4', { qty_inventory: 31, warehouse_id: '1' });
    expect(updated.sku_id).toBe('4');
    const changed = await c.modifiedSince('inventory', since);
    expect(changed.records.map((r) => r.sku_id)).toEqual(['4']);
    expect(changed.records[0].last_modified_time! >= since).toBe(true);
    const row = (await c.skuWarehouse('1', { filters: [{ field: 'sku_id', operator: '=', value: '4' }] })).records[0];
    expect(row.qty_inventory).toBe(31);
  });

  it('reports a record that fails validation per record and keeps the rest', async () => {
    await control('PATCH', 'records/inventory/3', { qty_inventory: 'lots' });
    try {
      const { records, invalid } = await client().list('inventory', { pageSize: 50 });
      expect(records).toHaveLength(counts.inventory - 1);
      expect(invalid).toEqual([{ resource: 'inventory', id: '3', problems: ['qty_inventory must be a whole number, got "lots"'] }]);
    } finally {
      await control('PATCH', 'records/inventory/3', { qty_inventory: '3' });
    }
  });

  it('creates orders, surfaces AMC validation errors as permanent, and finds orders by JOOR id', async () => {
    const c = client();
    const sku = (await c.page('inventory', { filters: [{ field: 'active', operator: '=', value: '1' }], pageSize: 1 })).records[0];
    const header = { customer_id: '2', warehouse_id: '1', date: '11/20/2026', customer_po: 'PO-77', joor_id: 'JOOR-1001', source: 'JOOR' };
    const refused = await c.createOrder({ header, items: [{ sku_id: '77777777', qty: 1, unit_price: '5.00' }] }).catch((e: unknown) => e as AmcApiError);
    expect(refused).toBeInstanceOf(AmcApiError);
    expect((refused as AmcApiError).details).toMatchObject({ status: 200, retryable: false, amcErrors: ['SKU 77777777 does not exist'] });
    expect(await c.findOrdersByJoorId('JOOR-1001')).toEqual([]);

    const order = await c.createOrder({ header, items: [{ sku_id: sku.sku_id, qty: 4, unit_price: '10.25', amount: '41.00' }] });
    expect(order).toMatchObject({ customer_id: '2', joor_id: 'JOOR-1001', customer_po: 'PO-77' });
    expect(order.order_items).toEqual([expect.objectContaining({ sku_id: sku.sku_id, qty: 4, unit_price: '10.25', amount: '41.00' })]);
    expect((await c.findOrdersByJoorId('JOOR-1001')).map((o) => o.order_id)).toEqual([order.order_id]);
  });

  it.each(['500', '503', 'malformed'])('retries a GET through %s faults', async (kind) => {
    await fault('/api/json/divisions', kind, 2);
    const { records } = await client().list('divisions');
    expect(records.length).toBeGreaterThan(0);
    const log = await calls('/api/json/divisions');
    expect(log.map((call) => call.fault)).toEqual([kind, kind, null]);
  });

  it('honours Retry-After on a 429', async () => {
    await fault('/api/json/warehouses', '429', 1, { retryAfterSeconds: 1 });
    const started = Date.now();
    const { records } = await client().list('warehouses');
    expect(records.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await calls('/api/json/warehouses')).map((call) => call.status)).toEqual([429, 200]);
  });

  it('gives up on a timeout after its own deadline and retries', async () => {
    // The sandbox holds the answer 10 s, then drops the socket: a client without its own deadline
    // would see a network error there instead of its timeout.
    await fault('/api/json/currencies', 'timeout', 1, { timeoutMs: 10_000 });
    const reasons: string[] = [];
    const { records } = await client({ timeoutMs: 400, onRetry: (e) => reasons.push(e.reason) }).list('currencies');
    expect(records.length).toBeGreaterThan(0);
    // Its own deadline cut the call (not the sandbox's dropped socket, 10 s on), whatever the machine's speed.
    expect(reasons).toEqual(['timed out']);
    expect((await calls('/api/json/currencies')).map((call) => call.fault)).toEqual(['timeout', null]);
  });

  it('retries a GET whose connection the server drops', async () => {
    // The sandbox destroys the socket before the client's own timeout: a reset, not a timeout.
    await fault('/api/json/divisions', 'timeout', 1, { timeoutMs: 100 });
    const reasons: string[] = [];
    const { records } = await client({ timeoutMs: 5_000, onRetry: (e) => reasons.push(e.reason) }).list('divisions');
    expect(records.length).toBeGreaterThan(0);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^network error/);
  });

  it('waits out a slow answer within the timeout without retrying', async () => {
    await fault('/api/json/size_ranges', 'slow', 1, { slowMs: 300 });
    const { records } = await client().list('size_ranges');
    expect(records.length).toBeGreaterThan(0);
    expect(records[0].sizes.length).toBeGreaterThan(0);
    expect((await calls('/api/json/size_ranges')).map((call) => call.fault)).toEqual(['slow']);
  });

  it('surfaces a persistent transient failure as a retryable AmcApiError after its attempts', async () => {
    await fault('/api/json/divisions', '503');
    const err = (await client({ maxAttempts: 3 })
      .list('divisions')
      .catch((e: unknown) => e)) as AmcApiError;
    expect(err).toBeInstanceOf(AmcApiError);
    expect(err.details).toMatchObject({ status: 503, retryable: true, attempts: 3, amcErrors: ['Service Unavailable (injected fault)'] });
    expect(await calls('/api/json/divisions')).toHaveLength(3);
  });

  it('does not repeat an order create that may have reached AMC, but retries one that was refused', async () => {
    const c = client();
    const sku = (await c.page('inventory', { filters: [{ field: 'active', operator: '=', value: '1' }], pageSize: 1 })).records[0];
    const order = (joorId: string) => ({ header: { customer_id: '3', joor_id: joorId }, items: [{ sku_id: sku.sku_id, qty: 1 }] });

    await fault('/api/json/orders', 'malformed', 1);
    const unknown = (await c.createOrder(order('JOOR-2001')).catch((e: unknown) => e)) as AmcApiError;
    expect(unknown.details).toMatchObject({ retryable: true, outcomeUnknown: true, attempts: 1 });
    // The route ran before the body was cut: the order exists, so looking before re-creating matters.
    expect(await c.findOrdersByJoorId('JOOR-2001')).toHaveLength(1);

    await fault('/api/json/orders', '500', 1);
    const failed = (await c.createOrder(order('JOOR-2002')).catch((e: unknown) => e)) as AmcApiError;
    expect(failed.details).toMatchObject({ status: 500, retryable: true, outcomeUnknown: true, attempts: 1 });

    await fault('/api/json/orders', '429', 1, { retryAfterSeconds: 0 });
    const created = await c.createOrder(order('JOOR-2003'));
    expect(created.joor_id).toBe('JOOR-2003');
    expect((await calls('/api/json/orders')).filter((call) => call.method === 'POST').map((call) => call.status)).toEqual([200, 500, 429, 200]);
  });

  describe('an order create whose outcome is unknown is never resent', () => {
    const order = async (c: AmcClient, joorId: string) => {
      const sku = (await c.page('inventory', { filters: [{ field: 'active', operator: '=', value: '1' }], pageSize: 1 })).records[0];
      return { header: { customer_id: '3', joor_id: joorId }, items: [{ sku_id: sku.sku_id, qty: 1 }] };
    };

    it('after-fault 504 on POST /orders: outcomeUnknown, exactly one POST, and the order exists in AMC', async () => {
      const c = client();
      const create = await order(c, 'JOOR-3001');
      await afterFault('504');
      const err = (await c.createOrder(create).catch((e: unknown) => e)) as AmcApiError;
      expect(err).toBeInstanceOf(AmcApiError);
      expect(err.details).toMatchObject({ status: 504, retryable: true, outcomeUnknown: true, attempts: 1 });
      expect((await posts('/api/json/orders')).map((call) => [call.status, call.fault, call.faultPhase])).toEqual([[504, '504', 'after']]);
      // The sandbox did the work before the 504: looking before re-creating is what finds it.
      const found = await c.findOrdersByJoorId('JOOR-3001');
      expect(found).toHaveLength(1);
      expect(found[0].order_items).toEqual([expect.objectContaining({ sku_id: create.items[0].sku_id, qty: 1 })]);
    });

    it.each([
      ['502', {}],
      ['503', {}],
      ['reset', {}],
      // The sandbox holds the answer far longer than the client's 1 s timeout.
      ['timeout', { timeoutMs: 30_000 }],
    ])('after-fault %s: outcomeUnknown, one POST, the order exists', async (kind, extra) => {
      const c = client();
      const joorId = `JOOR-31${kind}`;
      const create = await order(c, joorId);
      await afterFault(kind, extra);
      const err = (await c.createOrder(create).catch((e: unknown) => e)) as AmcApiError;
      expect(err).toBeInstanceOf(AmcApiError);
      expect(err.details).toMatchObject({ retryable: true, outcomeUnknown: true, attempts: 1 });
      expect((await posts('/api/json/orders')).map((call) => [call.fault, call.faultPhase])).toEqual([[kind, 'after']]);
      // The client may give up (its own timeout) before the sandbox has committed: wait for the order, then count.
      await waitFor(`order ${joorId} in AMC`, async () => (await c.findOrdersByJoorId(joorId)).length > 0);
      expect(await c.findOrdersByJoorId(joorId)).toHaveLength(1);
    });

    it('a 503 before the work: outcomeUnknown all the same (the client cannot tell), one POST, and no order', async () => {
      const c = client();
      const create = await order(c, 'JOOR-3201');
      await fault('/api/json/orders', '503', 1);
      const err = (await c.createOrder(create).catch((e: unknown) => e)) as AmcApiError;
      expect(err.details).toMatchObject({ status: 503, retryable: true, outcomeUnknown: true, attempts: 1 });
      expect((await posts('/api/json/orders')).map((call) => [call.status, call.faultPhase])).toEqual([[503, 'before']]);
      expect(await c.findOrdersByJoorId('JOOR-3201')).toEqual([]);
    });

    it('GETs and PUTs still retry through after-faults', async () => {
      await control('POST', 'faults', { rules: [{ path: '/api/json/inventory', kinds: ['504', 'reset'], rate: 1, times: 2, phase: 'after' }], seed: 1 });
      const c = client();
      const updated = await c.updateInventory('5', { qty_inventory: 17, warehouse_id: '1' });
      expect(updated.sku_id).toBe('5');
      const log = await calls('/api/json/inventory');
      expect(log.map((call) => [call.method, call.faultPhase])).toEqual([
        ['PUT', 'after'],
        ['PUT', 'after'],
        ['PUT', null],
      ]);
    });
  });

  it('keeps to its polite rate per connection', async () => {
    const c = client({ requestsPerSecond: 10 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => c.list('divisions')));
    // Six calls evenly spaced at 10/s: the last may start 500 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('can share the rate across processes through Redis', async () => {
    const redisA = new Redis(testServices().redisUrl);
    const redisB = new Redis(testServices().redisUrl);
    try {
      const key = `t-amc-rate-${Date.now()}`;
      const a = new RedisRateLimiter(redisA, key, 3);
      const b = new RedisRateLimiter(redisB, key, 3);
      const started = Date.now();
      await Promise.all([a, b, a, b, a, b, a].map((limiter) => limiter.acquire()));
      // Seven calls at 3 per one-second window need three windows: at least one full second.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
