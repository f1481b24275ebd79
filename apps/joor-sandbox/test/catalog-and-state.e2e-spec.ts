import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JoorRaw, startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';
import { renderPng } from '@app/sandbox-kit';
import { moveSandboxTimesBack } from './sandbox-time';

const TOKEN_TTL_SECONDS = 3_600;
const COLOR = 1001;
const SIZE = 1002;

/** Serves a real PNG, a WebP and a 404, as an ERP's image host would. */
async function imageHost(): Promise<{ url: string; close(): Promise<void> }> {
  const png = renderPng('joor-asset');
  const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(16)]);
  const server: Server = createServer((req, res) => {
    if (req.url === '/a.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else if (req.url === '/b.webp') res.writeHead(200, { 'content-type': 'image/webp' }).end(webp);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('JOOR sandbox catalog, auth and persistence', () => {
  let sb: JoorSandboxHarness;
  let raw: JoorRaw;
  let images: Awaited<ReturnType<typeof imageHost>>;

  beforeAll(async () => {
    images = await imageHost();
    // Tokens last an hour: no test here can outlive one on a busy machine (expiry is reached by
    // moving the token's expiry back, see sandbox-time.ts).
    sb = await startJoorSandbox('catalog', { JOOR_SANDBOX_FETCH_ASSETS: 'true', JOOR_SANDBOX_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) });
    raw = new JoorRaw(sb);
  });
  afterAll(async () => {
    await sb?.close();
    await images?.close();
  });

  it('authenticates with the password grant, refuses bad credentials, rotates refresh tokens, and expires access tokens', async () => {
    const bad = await raw.auth({ password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect(JSON.stringify(bad.body)).not.toContain('wrong');
    expect((await raw.auth({ client_secret: 'nope' })).body.error).toBe('invalid_client');
    expect((await raw.auth({ grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');

    const granted = await raw.auth();
    expect(granted.body).toEqual(expect.objectContaining({ token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, access_token: expect.any(String), refresh_token: expect.any(String) }));
    const refreshed = await raw.auth({ grant_type: 'refresh_token', refresh_token: granted.body.refresh_token, username: '', password: '' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(granted.body.access_token);
    expect((await raw.auth({ grant_type: 'refresh_token', refresh_token: granted.body.refresh_token })).status).toBe(401);

    expect((await raw.v4('GET', '/seasons', undefined, {}, refreshed.body.access_token)).status).toBe(200);
    expect((await raw.v4('GET', '/seasons', undefined, {}, 'not-a-token')).status).toBe(401);
    expect((await raw.v4('GET', '/seasons', undefined, { account: '1' }, refreshed.body.access_token)).status).toBe(403);
    // The token lives expires_in seconds: ten minutes short of that it is still taken (this test
    // runs far less than ten minutes), at that it is refused as expired.
    const age = (seconds: number) =>
      moveSandboxTimesBack(sb, 'UPDATE joor_sandbox.tokens SET expires_at = expires_at - make_interval(secs => $1) WHERE access_token = $2', [seconds, refreshed.body.access_token]);
    expect(await age(TOKEN_TTL_SECONDS - 600)).toBe(1);
    expect((await raw.v4('GET', '/seasons', undefined, {}, refreshed.body.access_token)).status).toBe(200);
    expect(await age(600)).toBe(1);
    const expired = await raw.v4('GET', '/seasons', undefined, {}, refreshed.body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0].message).toMatch(/expired/);
  });

  it('creates products, SKUs and prices; re-creating answers DUPLICATED with the existing id; limits are per item', async () => {
    const token = (await raw.auth()).body.access_token as string;
    const products = await raw.v4(
      'POST',
      '/products/bulk_create',
      [
        { name: 'Linen Shirt', external_id: 'ST-1', product_identifier: 'ST-1', description: 'Soft' },
        { name: 'x'.repeat(101), external_id: 'ST-2', product_identifier: 'ST-2' },
        { name: 'Wool Coat', external_id: 'ST-3', product_identifier: 'S'.repeat(46) },
        { name: 'Tee', external_id: 'ST-4', product_identifier: 'ST-4', description: 'd'.repeat(501) },
        { name: 'Linen Shirt again', external_id: 'ST-1', product_identifier: 'ST-1' },
      ],
      {},
      token,
    );
    expect(products.status).toBe(200);
    expect(products.body.data).toHaveLength(1);
    const shirt = products.body.data[0];
    expect(products.body.errors.map((e: { status: string; details: { index: number; field?: string; id?: number } }) => [e.details.index, e.status, e.details.field ?? e.details.id])).toEqual([
      [1, 'INVALID', 'name'],
      [2, 'INVALID', 'product_identifier'],
      [3, 'INVALID', 'description'],
      [4, 'DUPLICATED', shirt.id],
    ]);
    const again = await raw.v4('POST', '/products/bulk_create', [{ name: 'Linen Shirt', external_id: 'ST-1', product_identifier: 'ST-1' }], {}, token);
    expect(again.body).toEqual({ data: [], errors: [expect.objectContaining({ status: 'DUPLICATED', details: expect.objectContaining({ id: shirt.id }) })] });

    const sku = (color: string, size: string, upc: string) => ({
      product_id: shirt.id,
      external_id: `ST-1-${color}-${size}`,
      trait_values: [
        { trait_id: COLOR, value: color, external_id: color },
        { trait_id: SIZE, value: size },
      ],
      identifiers: [{ type: 'upc', value: upc }],
    });
    const skus = await raw.v4(
      'POST',
      '/skus/bulk_create',
      [
        sku('BLK', 'S', '840120000017'),
        sku('BLK', 'M', '840120000024'),
        { ...sku('BLK', 'L', '1'), trait_values: [{ trait_id: COLOR, value: 'BLK' }] },
        { ...sku('RED', 'S', '2'), product_id: 999999 },
      ],
      {},
      token,
    );
    expect(skus.body.data).toHaveLength(2);
    expect(skus.body.errors.map((e: { status: string }) => e.status)).toEqual(['INVALID', 'NOT_FOUND']);
    const dupSku = await raw.v4('POST', '/skus/bulk_create', [{ ...sku('BLK', 'S', '840120000017'), external_id: 'other-id' }], {}, token);
    expect(dupSku.body.errors[0]).toEqual(expect.objectContaining({ status: 'DUPLICATED', details: expect.objectContaining({ id: skus.body.data[0].id }) }));

    const prices = await raw.v4(
      'POST',
      '/prices/bulk_create',
      [
        { sku_id: skus.body.data[0].id, price_type_id: '1', wholesale_value: '45.50', retail_value: '99.00' },
        { sku_id: skus.body.data[1].id, price_type_id: '1', wholesale_value: 45.5 },
        { sku_id: skus.body.data[1].id, price_type_id: '77', wholesale_value: '1.00' },
      ],
      {},
      token,
    );
    expect(prices.body.data).toEqual([expect.objectContaining({ wholesale_value: '45.50', retail_value: '99.00', currency_code: 'USD' })]);
    expect(prices.body.errors.map((e: { status: string }) => e.status)).toEqual(['INVALID', 'NOT_FOUND']);
    const listed = await raw.v4('GET', '/prices', undefined, { sku_ids: String(skus.body.data[0].id) }, token);
    expect(listed.body.data[0].wholesale_value).toBe('45.50');

    const tooMany = await raw.v4(
      'POST',
      '/products/bulk_create',
      Array.from({ length: sb.config.bulkMax + 1 }, (_, i) => ({ name: `P${i}`, external_id: `MAX-${i}`, product_identifier: `MAX-${i}` })),
      {},
      token,
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].status).toBe('BULK_LIMIT_EXCEEDED');
  });

  it('keeps hand-made linesheets apart from API ones and checks their products', async () => {
    const token = (await raw.auth()).body.access_token as string;
    const [shirt] = (await raw.v4('GET', '/products', undefined, { external_ids: 'ST-1' }, token)).body.data;
    const season = (await raw.v4('GET', '/seasons', undefined, {}, token)).body.data[0];
    const created = await raw.v4(
      'POST',
      '/collections/bulk_create',
      [
        { name: 'SS27 Main', external_id: 'LS-1', season_id: season.id, items: [{ product_id: shirt.id }] },
        { name: 'Dated', external_id: 'LS-2', delivery: { start_ship_date: '2027-02-01', complete_ship_date: '2027-01-01' } },
        { name: 'Ghost', external_id: 'LS-3', items: [{ product_id: 999999 }] },
      ],
      {},
      token,
    );
    expect(created.body.data).toEqual([expect.objectContaining({ name: 'SS27 Main', created_by_api: true, delivery: expect.objectContaining({ type: 'IMMEDIATE' }) })]);
    expect(created.body.errors.map((e: { status: string }) => e.status)).toEqual(['INVALID', 'NOT_FOUND']);
    await sb.control('POST', 'collections', { name: 'Showroom picks' });
    const all = (await raw.v4('GET', '/collections', undefined, {}, token)).body.data as Array<{ name: string; created_by_api: boolean }>;
    expect(all.map((c) => [c.name, c.created_by_api])).toEqual([
      ['SS27 Main', true],
      ['Showroom picks', false],
    ]);
    const updated = await raw.v4('POST', '/collections/bulk_update', [{ id: created.body.data[0].id }], {}, token);
    expect(updated.body.errors[0]).toEqual(expect.objectContaining({ status: 'INVALID', message: 'name is required' }));
  });

  it('fetches asset images, takes gif/jpeg/png only, keeps asset external ids unique, and replace_all replaces', async () => {
    const token = (await raw.auth()).body.access_token as string;
    const [shirt] = (await raw.v4('GET', '/products', undefined, { external_ids: 'ST-1' }, token)).body.data;
    const asset = (external_id: string, path: string, filename = `${external_id}.png`) => ({
      product: { id: shirt.id },
      asset: { type: 'image', filename, source_url: `${images.url}${path}`, external_id },
      display_order: 1,
    });
    const first = await raw.v4(
      'POST',
      '/assets/products',
      [asset('IMG-1', '/a.png'), asset('IMG-2', '/b.webp', 'IMG-2.png'), asset('IMG-3', '/missing.png'), asset('IMG-4', '/a.png', 'IMG-4.webp'), asset('IMG-5', '/a.png', `${'f'.repeat(97)}.png`)],
      { replace_all: 'false' },
      token,
    );
    expect(first.body.data.map((a: { external_id: string; content_type: string }) => [a.external_id, a.content_type])).toEqual([['IMG-1', 'image/png']]);
    expect(first.body.errors.map((e: { details: { index: number } }) => e.details.index)).toEqual([1, 2, 3, 4]);
    const dup = await raw.v4('POST', '/assets/products', [asset('IMG-1', '/a.png')], {}, token);
    expect(dup.body.errors[0]).toEqual(expect.objectContaining({ status: 'DUPLICATED', details: expect.objectContaining({ id: first.body.data[0].id }) }));
    const replaced = await raw.v4('POST', '/assets/products', [asset('IMG-6', '/a.png'), asset('IMG-7', '/a.png')], { replace_all: 'true' }, token);
    expect(replaced.body.data).toHaveLength(2);
    expect(((await sb.control('GET', 'state/assets')) as Array<{ external_id: string }>).map((a) => a.external_id)).toEqual(['IMG-6', 'IMG-7']);
    const color = await raw.v4(
      'POST',
      '/assets/sku_trait_values',
      [
        { product: { id: shirt.id }, sku_trait_value: { trait: { name: 'color' }, value: { external_id: 'BLK' } }, asset: { type: 'swatch', filename: 'blk.png', source_url: `${images.url}/a.png` } },
        { product: { id: shirt.id }, sku_trait_value: { trait: { name: 'color' }, value: { external_id: 'PINK' } }, asset: { type: 'image', filename: 'pink.png', source_url: `${images.url}/a.png` } },
      ],
      {},
      token,
    );
    expect(color.body.data).toEqual([expect.objectContaining({ level: 'color', color_external_id: 'BLK', type: 'swatch' })]);
    expect(color.body.errors[0].status).toBe('NOT_FOUND');
  });

  it('keeps its state and its tokens across a restart', async () => {
    const granted = await raw.auth({});
    const before = await sb.control('GET', 'state');
    await sb.restart();
    const after = await sb.control('GET', 'state');
    expect(after.counts).toEqual(before.counts);
    expect(after.counts.products).toBeGreaterThan(0);
    expect((await raw.v4('GET', '/products', undefined, {}, granted.body.access_token)).body.data.length).toBe(before.counts.products);
  });
});
