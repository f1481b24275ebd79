import { inflateSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { startAmcSandbox, type AmcSandboxApp } from '@app/testing/amc-sandbox-app';

/** Conformance of the AMC sandbox to AMC's shape, over real HTTP and a real PostgreSQL. */
describe('AMC sandbox conformance', () => {
  let db: TestDatabase;
  let amc: AmcSandboxApp;
  let counts: Record<string, number>;

  const now = () => Math.floor(Date.now() / 1000);
  const auth = () => `token=${amc.token}&time=${now()}`;
  const get = async (path: string, query = '') => {
    const res = await fetch(`${amc.url}/api/json/${path}?${auth()}${query ? `&${query}` : ''}`);
    return { status: res.status, headers: res.headers, body: (await res.json()) as { response: Array<Record<string, any>>; meta: Record<string, any> } };
  };
  const send = async (method: 'POST' | 'PUT', path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${amc.url}/api/json/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: amc.token, time: now(), ...body }),
    });
    return { status: res.status, body: (await res.json()) as { response: Array<Record<string, any>>; meta: Record<string, any> } };
  };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${amc.url}/_sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** A last_id walk that ends where the answers say (an empty page, or total_records read), never on a short page alone. */
  const allPages = async (resource: string, pageSize: number, query = '') => {
    const ids: string[] = [];
    let lastId: string | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const page = await get(resource, `pagination[page_size]=${pageSize}${lastId ? `&pagination[last_id]=${lastId}` : ''}${query ? `&${query}` : ''}`);
      ids.push(...page.body.response.map((r) => String(r.sku_id ?? r.product_id ?? r.id)));
      if (page.body.response.length === 0 || ids.length >= page.body.meta.pagination.total_records) break;
      lastId = page.body.meta.pagination.last_id;
    }
    return ids;
  };

  beforeAll(async () => {
    db = await createTestDatabase('amc_sandbox', { migrate: false });
    amc = await startAmcSandbox(db.url);
    counts = await amc.seed({ styles: 12, seed: 42 });
  });

  afterAll(async () => {
    await amc?.close();
    await db?.drop();
  });

  it('refuses a missing or wrong token and a stale time with 401 and the AMC envelope', async () => {
    const missing = await fetch(`${amc.url}/api/json/products?time=${now()}`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ response: [], meta: { errors: ['Missing token'] } });
    const wrong = await fetch(`${amc.url}/api/json/products?token=nope-nope-nope&time=${now()}`);
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { meta: { errors: string[] } };
    expect(body.meta.errors).toEqual(['Invalid token']);
    const stale = await fetch(`${amc.url}/api/json/products?token=${amc.token}&time=${now() - 3600}`);
    expect(stale.status).toBe(401);
    const post = await fetch(`${amc.url}/api/json/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ time: now(), header: {} }) });
    expect(post.status).toBe(401);
  });

  it('answers lists and single records in the envelope, scalars as strings', async () => {
    const list = await get('inventory', 'pagination[page_size]=5');
    expect(list.status).toBe(200);
    expect(list.body.meta.errors).toEqual([]);
    expect(list.body.response).toHaveLength(5);
    const sku = list.body.response[0];
    expect(typeof sku.qty_inventory).toBe('string');
    expect(sku.last_modified_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const one = await get(`inventory/${sku.sku_id}`);
    expect(one.body.response).toEqual([sku]);
    const none = await get('inventory/99999999');
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ response: [], meta: { errors: ['inventory 99999999 does not exist'] } });
    const unknown = await get('widgets');
    expect(unknown.status).toBe(404);
  });

  it('pages by last_id: every record once, in id order, totals right, short last page', async () => {
    const first = await get('inventory', 'pagination[page_size]=7');
    expect(first.body.meta.pagination).toEqual({ last_id: first.body.response[6].sku_id, total_records: counts.inventory });
    const ids = await allPages('inventory', 7);
    expect(ids).toHaveLength(counts.inventory);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    expect(counts.inventory % 7 === 0 || ids.length % 7 !== 0).toBe(true);
  });

  it('pages by page_number when the account is set so, with AMC page math', async () => {
    expect((await control('PUT', 'settings', { paging: 'page_number' })).body.paging).toBe('page_number');
    try {
      const pageSize = 10;
      const totalPages = Math.ceil(counts.inventory / pageSize);
      const first = await get('inventory', `pagination[page_size]=${pageSize}&pagination[page_number]=1`);
      expect(first.body.meta.pagination).toEqual({ total_pages: totalPages, current_page: 1, number_records_returned: pageSize });
      const last = await get('inventory', `pagination[page_size]=${pageSize}&pagination[page_number]=${totalPages}`);
      expect(last.body.meta.pagination.number_records_returned).toBe(counts.inventory - (totalPages - 1) * pageSize);
      // last_id means nothing to a page_number account: it answers page 1 again.
      const ignored = await get('inventory', `pagination[page_size]=${pageSize}&pagination[last_id]=${first.body.response[9].sku_id}`);
      expect(ignored.body.response[0].sku_id).toBe(first.body.response[0].sku_id);
      const beyond = await get('inventory', `pagination[page_size]=${pageSize}&pagination[page_number]=${totalPages + 1}`);
      expect(beyond.body.response).toEqual([]);
    } finally {
      await control('PUT', 'settings', { paging: 'last_id' });
    }
  });

  it('caps pages at maxPageSize whatever the client asks, in both paging styles, for any cap from 1', async () => {
    const uncapped = await get('products', 'pagination[page_size]=1000');
    const everyId = uncapped.body.response.map((p) => p.product_id);
    expect(everyId).toHaveLength(counts.products);
    expect((await control('GET', 'settings')).body.maxPageSize).toBe(1000);
    try {
      for (const cap of [1, 7]) {
        expect((await control('PUT', 'settings', { maxPageSize: cap })).body).toMatchObject({ maxPageSize: cap, paging: 'last_id' });
        // A last_id walk asking for 50 a page, ended by total_records (not by a short page).
        const ids: string[] = [];
        let lastId: string | undefined;
        for (let guard = 0; guard < 100 && ids.length < counts.products; guard++) {
          const page = await get('products', `pagination[page_size]=50${lastId ? `&pagination[last_id]=${lastId}` : ''}`);
          expect(page.body.response.length).toBe(Math.min(cap, counts.products - ids.length));
          expect(page.body.meta.pagination.total_records).toBe(counts.products);
          ids.push(...page.body.response.map((p) => p.product_id));
          lastId = page.body.meta.pagination.last_id;
        }
        expect(ids).toEqual(everyId);
        // No page_size at all: the default size, cut to the cap as well.
        expect((await get('products')).body.response).toHaveLength(cap);
      }

      expect((await control('PUT', 'settings', { paging: 'page_number' })).body).toMatchObject({ maxPageSize: 7, paging: 'page_number' });
      const totalPages = Math.ceil(counts.inventory / 7);
      const first = await get('inventory', 'pagination[page_size]=50&pagination[page_number]=1');
      expect(first.body.meta.pagination).toEqual({ total_pages: totalPages, current_page: 1, number_records_returned: 7 });
      const second = await get('inventory', 'pagination[page_size]=50&pagination[page_number]=2');
      expect(Number(second.body.response[0].sku_id)).toBeGreaterThan(Number(first.body.response[6].sku_id));
      const last = await get('inventory', `pagination[page_size]=500&pagination[page_number]=${totalPages}`);
      expect(last.body.meta.pagination).toEqual({ total_pages: totalPages, current_page: totalPages, number_records_returned: counts.inventory - (totalPages - 1) * 7 });
    } finally {
      await control('PUT', 'settings', { maxPageSize: 1000, paging: 'last_id' });
    }
  });

  it('refuses a page cap that is not a whole number from 1 to 5000, keeping the one it has', async () => {
    for (const bad of [0, 5001, 2.5, '7', -1]) {
      const res = await control('PUT', 'settings', { maxPageSize: bad });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('maxPageSize must be a whole number from 1 to 5000');
    }
    expect((await control('GET', 'settings')).body.maxPageSize).toBe(1000);
    expect((await control('PUT', 'settings', { maxPageSize: 5000 })).body.maxPageSize).toBe(5000);
    expect((await control('PUT', 'settings', { maxPageSize: 1000 })).body.maxPageSize).toBe(1000);
  });

  it('takes the page cap from AMC_SANDBOX_MAX_PAGE_SIZE, and keeps only the settings a PUT named across restarts', async () => {
    const otherDb = await createTestDatabase('amc_sandbox_cap', { migrate: false });
    let capped = await startAmcSandbox(otherDb.url, { AMC_SANDBOX_MAX_PAGE_SIZE: '1' });
    const settings = async () => (await fetch(`${capped.url}/_sandbox/settings`)).json() as Promise<Record<string, unknown>>;
    const put = async (body: unknown) =>
      (await fetch(`${capped.url}/_sandbox/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
    const restart = async (cap: string) => {
      await capped.close();
      capped = await startAmcSandbox(otherDb.url, { AMC_SANDBOX_MAX_PAGE_SIZE: cap });
    };
    try {
      await capped.seed({ styles: 3, seed: 5 });
      const page = await fetch(`${capped.url}/api/json/products?token=${capped.token}&time=${now()}&pagination[page_size]=50`);
      const body = (await page.json()) as { response: unknown[]; meta: { pagination: { total_records: number } } };
      expect(body.response).toHaveLength(1);
      expect(body.meta.pagination.total_records).toBe(3);
      expect(await settings()).toMatchObject({ maxPageSize: 1, paging: 'last_id' });

      // A PUT of the paging style alone does not pin the environment's cap.
      await put({ paging: 'page_number' });
      await restart('2');
      expect(await settings()).toMatchObject({ maxPageSize: 2, paging: 'page_number' });
      // A cap set at run time wins over the environment after a restart.
      await put({ maxPageSize: 3 });
      await restart('2');
      expect(await settings()).toMatchObject({ maxPageSize: 3, paging: 'page_number' });
    } finally {
      await capped.close();
      await otherDb.drop();
    }
  });

  it('filters with parameters[i] (=, >, >=, AND/OR) and the plain short form', async () => {
    const products = await get('products', 'pagination[page_size]=3');
    const productId = products.body.response[1].product_id;
    const attrs = await get('product_attributes', `product_id=${productId}`);
    expect(attrs.body.response.length).toBeGreaterThan(0);
    expect(attrs.body.response.every((a) => a.product_id === productId)).toBe(true);

    const skus = await get(
      'inventory',
      `parameters[0][field]=product_id&parameters[0][operator]==&parameters[0][value]=${productId}&parameters[1][field]=qty_inventory&parameters[1][operator]=>&parameters[1][value]=20&pagination[page_size]=1000`,
    );
    expect(skus.body.response.every((s) => s.product_id === productId && Number(s.qty_inventory) > 20)).toBe(true);

    const either = await get(
      'products',
      `parameters[0][field]=product_id&parameters[0][operator]==&parameters[0][value]=${products.body.response[0].product_id}` +
        `&parameters[1][field]=product_id&parameters[1][operator]==&parameters[1][value]=${productId}&parameters[1][include_type]=OR`,
    );
    expect(either.body.response.map((p) => p.product_id)).toEqual([products.body.response[0].product_id, productId]);

    const byId = await get('inventory', 'parameters[0][field]=sku_id&parameters[0][operator]=>=&parameters[0][value]=10&pagination[page_size]=1000');
    expect(byId.body.response[0].sku_id).toBe('10');
    expect(byId.body.response).toHaveLength(counts.inventory - 9);

    const warehouse = await get('sku_warehouse', 'warehouse_id=1&pagination[page_size]=1000');
    expect(warehouse.body.response.every((r) => r.warehouse_id === '1')).toBe(true);

    const bad = await get('products', 'parameters[0][field]=price&parameters[0][operator]=LIKE&parameters[0][value]=1');
    expect(bad.status).toBe(400);
    expect(bad.body.meta.errors[0]).toMatch(/operator/);
  });

  it('bumps last_modified_time on every write, and incremental reads see the change', async () => {
    const before = (await get('inventory/5')).body.response[0];
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const changedBefore = await get('inventory', `parameters[0][field]=last_modified_time&parameters[0][operator]=>=&parameters[0][value]=${since}`);
    expect(changedBefore.body.response).toEqual([]);

    const put = await send('PUT', 'inventory/5', { qty_inventory: 77 });
    expect(put.status).toBe(200);
    const after = put.body.response[0];
    expect(after.last_modified_time > before.last_modified_time).toBe(true);
    const rows = (await get('sku_warehouse', 'parameters[0][field]=sku_id&parameters[0][operator]==&parameters[0][value]=5')).body.response;
    expect(rows.find((r) => r.warehouse_id === '1')?.qty_inventory).toBe('77');
    expect(Number(after.qty_inventory)).toBe(rows.reduce((sum, r) => sum + Number(r.qty_inventory), 0));

    const changed = await get('inventory', `parameters[0][field]=last_modified_time&parameters[0][operator]=>=&parameters[0][value]=${since}`);
    expect(changed.body.response.map((r) => r.sku_id)).toEqual(['5']);

    const productId = (await get('products', 'pagination[page_size]=2')).body.response[1].product_id;
    const product = await send('PUT', `products/${productId}`, { joor_sync: '0', web_title: 'Renamed' });
    expect(product.body.response[0]).toMatchObject({ product_id: productId, joor_sync: '0', web_title: 'Renamed' });
    expect(product.body.response[0].last_modified_time >= since).toBe(true);

    const created = await send('POST', 'customers', { customer_name: 'New Boutique', joor_customer_code: 'NB-1' });
    expect(created.body.response[0]).toMatchObject({ customer_id: String(counts.customers + 1), customer_name: 'New Boutique', status: 'active' });
    const updated = await send('PUT', `customers/${created.body.response[0].customer_id}`, { city: 'Lyon' });
    expect(updated.body.response[0].city).toBe('Lyon');

    const rate = await control('PATCH', 'records/currencies/2', { rate: '0.9100' });
    expect(rate.body).toMatchObject({ rate: '0.9100' });
    expect(rate.body.last_updated >= since).toBe(true);

    const taken = (await get('products', 'parameters[0][field]=style_number&parameters[0][operator]=>&parameters[0][value]=&pagination[page_size]=1')).body.response[0];
    const dup = await send('POST', 'products', { style_number: taken.style_number });
    expect(dup.status).toBe(400);
    expect(dup.body.meta.errors[0]).toMatch(/already exists/);
  });

  it('validates POST /orders, writing nothing on error, and finds orders by joor_id', async () => {
    const sku = (await get('inventory', 'parameters[0][field]=active&parameters[0][operator]==&parameters[0][value]=1&pagination[page_size]=1')).body.response[0];
    const inactive = (await get('inventory', 'parameters[0][field]=active&parameters[0][operator]==&parameters[0][value]=0&pagination[page_size]=1')).body.response[0];
    const header = { customer_id: '1', warehouse_id: '1', date: '11/02/2026', customer_po: 'PO-1', joor_id: 'J-900', source: 'JOOR' };

    const refused = await send('POST', 'orders', { header: { ...header, customer_id: '999999' }, items: [{ sku_id: '88888888', qty: 2, unit_price: '10.00' }] });
    expect(refused.status).toBe(200);
    expect(refused.body.response).toEqual([]);
    expect(refused.body.meta.errors).toEqual(['Customer 999999 does not exist', 'SKU 88888888 does not exist']);
    // The seeded brand (12 styles, seed 42) has inactive SKUs: the check below must always run.
    expect(inactive).toMatchObject({ active: '0' });
    const off = await send('POST', 'orders', { header, items: [{ sku_id: inactive.sku_id, qty: 1 }] });
    expect(off.body.meta.errors).toEqual([`SKU ${inactive.sku_id} is inactive`]);
    const shape = await send('POST', 'orders', { header: { ...header, date: '2026-11-02' }, items: [{ sku_id: sku.sku_id, qty: 0 }] });
    expect(shape.body.meta.errors).toEqual(['header.date must be a date as m/d/Y', 'items[0].qty must be a positive whole number']);
    expect((await control('GET', 'state/orders')).body).toEqual([]);

    const created = await send('POST', 'orders', { header, items: [{ sku_id: sku.sku_id, qty: 3, unit_price: '12.50' }] });
    expect(created.body.meta.errors).toEqual([]);
    const order = created.body.response[0];
    expect(order).toMatchObject({ customer_id: '1', joor_id: 'J-900', date: '11/02/2026' });
    expect(order.order_items).toEqual([expect.objectContaining({ sku_id: sku.sku_id, qty: '3', unit_price: '12.50', amount: '37.50', style_number: sku.style_number, size: sku.size })]);

    // The lines go on open sales in the order's warehouse, and the company-wide row follows.
    const skuAfter = (await get(`inventory/${sku.sku_id}`)).body.response[0];
    expect(Number(skuAfter.qty_open_sales)).toBe(Number(sku.qty_open_sales) + 3);
    expect(skuAfter.last_modified_time >= order.last_modified_time).toBe(true);
    const rowAfter = (await get('sku_warehouse', `warehouse_id=1&sku_id=${sku.sku_id}`)).body.response[0];
    expect(Number(rowAfter.qty_avail_sell)).toBe(Math.max(0, Number(rowAfter.qty_inventory) - Number(rowAfter.qty_open_sales)));

    const found = await get('orders', 'parameters[0][field]=joor_id&parameters[0][operator]==&parameters[0][value]=J-900');
    expect(found.body.response.map((o) => o.order_id)).toEqual([order.order_id]);
    expect((await get('orders', 'parameters[0][field]=joor_id&parameters[0][operator]==&parameters[0][value]=J-901')).body.response).toEqual([]);
    expect((await control('GET', 'state/orders')).body).toHaveLength(1);
  });

  it('serves the image refs of products and colorways as valid PNG bytes at absolute URLs', async () => {
    const withImages = (await get('products', 'pagination[page_size]=50')).body.response.find((p) => p.images.length > 0)!;
    const url: string = withImages.images[0].img;
    expect(url.startsWith(`${amc.url}/images/`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(png[24]).toBe(8);
    // Walk the chunks: IDAT data must inflate to exactly one filter byte + RGB row per line.
    const idat: Buffer[] = [];
    let at = 8;
    let last = '';
    while (at < png.length) {
      const length = png.readUInt32BE(at);
      last = png.subarray(at + 4, at + 8).toString('ascii');
      if (last === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    expect(last).toBe('IEND');
    const channels = png[25] === 6 ? 4 : 3;
    expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels));

    const again = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(again.equals(png)).toBe(true);
    expect((await fetch(`${amc.url}/images/styles/does-not-exist.png`)).status).toBe(404);
  });

  it('serves the files JOOR refuses for tests (WebP, 11 MB, gone), HEAD answered like GET without the body', async () => {
    const product = (await get('products', 'pagination[page_size]=50')).body.response.find((p) => p.images.length > 0)!;
    const kept = product.images.map((i: { img: string; is_catalog_image: string }) => ({ img: new URL(i.img).pathname, is_catalog_image: i.is_catalog_image }));
    const refs = [`/images/styles/${product.product_id}-look.webp`, `/images/oversized/${product.product_id}.png`, `/images/gone/${product.product_id}.png`];
    expect((await control('PATCH', `records/products/${product.product_id}`, { images: [...kept, ...refs.map((img) => ({ img, is_catalog_image: '0' }))] })).status).toBe(200);
    try {
      const webp = await fetch(`${amc.url}${refs[0]}`);
      expect(webp.headers.get('content-type')).toBe('image/webp');
      const bytes = Buffer.from(await webp.arrayBuffer());
      expect([bytes.subarray(0, 4).toString('ascii'), bytes.subarray(8, 12).toString('ascii')]).toEqual(['RIFF', 'WEBP']);
      const big = await fetch(`${amc.url}${refs[1]}`, { method: 'HEAD' });
      expect(big.status).toBe(200);
      expect(Number(big.headers.get('content-length'))).toBe(11 * 1024 * 1024);
      expect(big.headers.get('etag')).toBeTruthy();
      expect((await fetch(`${amc.url}${refs[2]}`, { method: 'HEAD' })).status).toBe(404);
      // A file no record carries any more is gone too.
      expect((await fetch(`${amc.url}/images/styles/other.webp`)).status).toBe(404);
    } finally {
      await control('PATCH', `records/products/${product.product_id}`, { images: kept });
    }
  });

  it('answers 429 with Retry-After beyond the per-token rate when one is set', async () => {
    await control('PUT', 'settings', { rateLimitPerSecond: 1 });
    try {
      // Six at once against one a second: only six seconds between the first and the last would
      // let them all through, however busy the machine.
      const answers = await Promise.all(Array.from({ length: 6 }, () => get('divisions')));
      const statuses = answers.map((res) => res.status);
      expect(statuses).toContain(200);
      expect(statuses).toContain(429);
      expect(answers.filter((res) => res.status === 429).map((res) => res.headers.get('retry-after'))).toEqual(statuses.filter((st) => st === 429).map(() => '1'));
    } finally {
      await control('PUT', 'settings', { rateLimitPerSecond: 0 });
    }
  });

  it('seeds deterministically through the API: same seed, same answers', async () => {
    const snapshot = async () => JSON.stringify([(await get('products', 'pagination[page_size]=50')).body, (await get('inventory', 'pagination[page_size]=50')).body, (await get('customers')).body]);
    await amc.seed({ styles: 4, seed: 9 });
    const a = await snapshot();
    await amc.seed({ styles: 4, seed: 10 });
    const other = await snapshot();
    await amc.seed({ styles: 4, seed: 9 });
    const b = await snapshot();
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect((await control('GET', 'state')).body.counts.products).toBe(4);
  });

  it('keeps its state across a restart against the same database', async () => {
    await control('PUT', 'settings', { paging: 'page_number' });
    await send('PUT', 'inventory/3', { qty_inventory: 5 });
    const before = await get('inventory', 'pagination[page_size]=20');
    await amc.close();
    amc = await startAmcSandbox(db.url);
    const after = await get('inventory', 'pagination[page_size]=20');
    expect(after.body).toEqual(before.body);
    expect(after.body.meta.pagination.current_page).toBe(1);
    expect((await get('inventory/3')).body.response[0].qty_avail_sell).toBeDefined();
    expect((await get('inventory/3')).body.response[0].sku_id).toBe('3');
    const ready = await fetch(`${amc.url}/health/ready`);
    expect(ready.status).toBe(200);
  });
});
