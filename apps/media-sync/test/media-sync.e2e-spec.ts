import { DataSource } from 'typeorm';
import { generateBrand, type AmcImageRef, type Brand } from '@app/sandbox-seed';
import { SandboxKitClient, waitFor } from '@app/testing';
import { expectedCatalog } from '@app/testing/catalog-oracle';
import { startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';
import { JoorRaw } from '@app/testing/joor-sandbox-harness';
import { actualAssets, expectedAssets } from '@app/testing/media-oracle';

const SEED = { styles: 30, seed: 9 };

async function patchAmc(stack: CatalogStack, resource: string, id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.amc.url}/_sandbox/records/${resource}/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  if (!res.ok) throw new Error(`PATCH ${resource}/${id} answered ${res.status}: ${await res.text()}`);
}

/** The JOOR asset writes and 429s in the sandbox's call log after `since`. */
async function assetCalls(kit: SandboxKitClient, since: number) {
  const { calls } = await kit.calls({ since, limit: 10_000 });
  return { writes: calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/v4/assets')), throttled: calls.filter((c) => c.status === 429).length };
}

describe('media sync AMC -> JOOR (both sandboxes over HTTP, real PostgreSQL and Redis)', () => {
  jest.setTimeout(240_000);
  let stack: CatalogStack;
  let kit: SandboxKitClient;
  let brand: Brand;
  let connectionId: string;
  /** Assets loaded by hand in JOOR, by the oracle's key: they must stay. */
  const handLoaded = new Map<string, string[]>();
  /** Image refs JOOR cannot take (WebP, gone, oversized), left out by the oracle. */
  const refused = new Set<string>();

  const expectedNow = () => {
    const expected = expectedAssets(brand, { refused });
    for (const [key, extra] of handLoaded) expected.set(key, [...(expected.get(key) ?? []), ...extra]);
    return expected;
  };
  const mediaRuns = async (connection = connectionId): Promise<Array<{ id: string; trigger: string; status: string; details: Record<string, unknown> }>> =>
    stack.app.get(DataSource).query(`SELECT id, trigger, status, details FROM sync_run WHERE connection_id = $1 AND kind = 'images' ORDER BY queued_at`, [connection]);
  /**
   * The images runs a catalog run caused, once all have ended: a long catalog run asks again in each
   * follow-up window, so there may be several.
   */
  const followUpsOf = async (catalogRunId: string, connection = connectionId) => {
    await waitFor(
      'the follow-up images runs to end',
      async () => {
        const runs = (await mediaRuns(connection)).filter((r) => r.trigger === 'follow-up' && r.details.causedBy === catalogRunId);
        const counts = await stack.media!.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return runs.length > 0 && runs.every((r) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(r.status)) && Object.values(counts).every((n) => n === 0);
      },
      60_000,
      200,
    );
    const runs = (await mediaRuns(connection)).filter((r) => r.trigger === 'follow-up' && r.details.causedBy === catalogRunId);
    return Promise.all(runs.map((r) => stack.waitRun(r.id)));
  };
  /** Synced styles (on JOOR, by the catalog oracle) other than those already used. */
  const used = new Set<string>();
  const pickStyle = (test: (p: Brand['amc']['products'][number]) => boolean) => {
    const onJoor = expectedCatalog(brand).products;
    const found = brand.amc.products.find((p) => onJoor.has(p.style_number) && !used.has(p.product_id) && test(p))!;
    expect(found).toBeDefined();
    used.add(found.product_id);
    return found;
  };

  beforeAll(async () => {
    // The JOOR sandbox downloads every source_url, as JOOR does: an image it cannot fetch fails there too.
    stack = await startCatalogStack('media', SEED, { media: true, joorEnv: { JOOR_SANDBOX_FETCH_ASSETS: 'true' }, mediaTuning: { stylesPerPage: 7, assetsPerCall: 25 } });
    kit = new SandboxKitClient(stack.joor.url);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    connectionId = await stack.connect('brand');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('after a catalog sync, its follow-up puts exactly the expected style, color and swatch images of the synced styles on JOOR, in bulk calls', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const catalog = await stack.sync(connectionId, { full: true });
    const runs = await followUpsOf(catalog.id);
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'succeeded'));
    expect(runs[0].details).toMatchObject({ mode: 'full' });
    const expected = expectedNow();
    expect(expected.size).toBeGreaterThan(40);
    const all = [...expected.values()].flat();
    expect(all.some((a) => a.startsWith('swatch:'))).toBe(true);
    // Some seeded styles are unflagged or bad: they must have no images on JOOR.
    expect(brand.amc.products.filter((p) => !expectedCatalog(brand).products.has(p.style_number)).length).toBeGreaterThan(0);
    expect(await actualAssets(stack.joor)).toEqual(expected);
    // No JOOR read was needed: the run's credits are its bulk calls x 5; the calls were filled (25 assets a call here,
    // whole sets of at most 3, so every call but each lane's last holds 23 or more).
    const { writes } = await assetCalls(kit, since);
    expect(runs.reduce((n, r) => n + r.creditsSpent, 0)).toBe(writes.length * 5);
    expect(writes.length).toBeLessThanOrEqual(Math.ceil(all.length / 23) + 2);
  });

  it('an unchanged re-run spends no JOOR credits', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.media!.sync(connectionId, { full: true });
    expect(run).toMatchObject({ status: 'succeeded', countCreated: 0, countUpdated: 0, creditsSpent: 0 });
    expect(run.countUnchanged).toBeGreaterThan(40);
    expect((await assetCalls(kit, since)).writes).toEqual([]);
  });

  it('a changed image reaches JOOR after the next style sync with no images trigger, a removed one goes, and an image loaded by hand in JOOR stays', async () => {
    const style = pickStyle((p) => p.images.length >= 2 && brand.amc.attributes.some((a) => a.product_id === p.product_id && a.images.length > 0));
    const [product] = (await new JoorRaw(stack.joor).v4('GET', '/products', undefined, { external_ids: style.style_number })).body.data;
    // A file the brand keeps (JOOR fetches it again when the set is replaced).
    const lookbook = brand.amc.attributes.find((a) => a.product_id === style.product_id && a.images.length > 0)!.images[0].img;
    const manual = await new JoorRaw(stack.joor).v4(
      'POST',
      '/assets/products',
      [{ product: { id: product.id }, asset: { type: 'image', filename: 'lookbook.png', source_url: `${stack.amc.url}${lookbook}` }, display_order: 99 }],
      { replace_all: 'false' },
    );
    expect(manual.status).toBe(200);
    handLoaded.set(style.style_number, [`image:${lookbook}`]);

    // The catalog image is replaced by a new file and the last other image is removed.
    const others = style.images.filter((i) => i.is_catalog_image !== '1');
    const next: AmcImageRef[] = [{ img: `/images/styles/${style.product_id}-new.png`, is_catalog_image: '1' }, ...others.slice(0, -1)];
    style.images = next;
    await patchAmc(stack, 'products', style.product_id, { images: next });

    const catalog = await stack.sync(connectionId);
    const runs = await followUpsOf(catalog.id);
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'succeeded'));
    expect(runs.reduce((n, r) => n + r.countUpdated, 0)).toBe(1);
    const actual = await actualAssets(stack.joor);
    expect(actual.get(style.style_number)).toEqual([...next.map((i) => `image:${i.img}`), `image:${lookbook}`]);
    expect(actual).toEqual(expectedNow());
  });

  it('a WebP, a missing and an oversized image are each an event naming style, color and URL; the rest go through and the run ends partial', async () => {
    const style = pickStyle((p) => brand.amc.attributes.some((a) => a.product_id === p.product_id && a.images.length > 0 && a.joor_sync === '1'));
    const colorway = brand.amc.attributes.find((a) => a.product_id === style.product_id && a.images.length > 0 && a.joor_sync === '1' && expectedNow().has(`${style.style_number}|${a.color_code}`))!;
    expect(colorway).toBeDefined();
    const webp = `/images/styles/${style.product_id}-look.webp`;
    const oversized = `/images/oversized/${style.product_id}.png`;
    const gone = `/images/gone/${style.product_id}-${colorway.color_code}.png`;
    const fine = `/images/styles/${style.product_id}-extra.png`;
    style.images = [...style.images, { img: webp, is_catalog_image: '0' }, { img: oversized, is_catalog_image: '0' }, { img: fine, is_catalog_image: '0' }];
    colorway.images = [...colorway.images, { img: gone, is_catalog_image: '0', kind: 'color' }];
    await patchAmc(stack, 'products', style.product_id, { images: style.images });
    await patchAmc(stack, 'product_attributes', colorway.id, { images: colorway.images });
    for (const ref of [webp, oversized, gone]) refused.add(ref);

    const run = await stack.media!.sync(connectionId);
    expect(run.status).toBe('partial');
    const events: Array<{ entity_key: string; reason: string; details: { url?: string; style?: string; color?: string | null } }> = await stack.app
      .get(DataSource)
      .query(`SELECT entity_key, reason, details FROM sync_event WHERE run_id = $1 AND level = 'error'`, [run.id]);
    const about = (ref: string) => events.filter((e) => e.reason.includes(`${stack.amc.url}${ref}`));
    expect(about(webp)).toEqual([expect.objectContaining({ entity_key: style.style_number, reason: expect.stringMatching(/a WebP image; JOOR takes gif, jpeg and png only/) })]);
    expect(about(oversized)).toEqual([expect.objectContaining({ entity_key: style.style_number, reason: expect.stringMatching(/11\.0 MB; JOOR takes at most 10 MB/) })]);
    expect(about(gone)).toEqual([
      expect.objectContaining({
        entity_key: `${style.style_number}/${colorway.color_code}`,
        reason: expect.stringMatching(new RegExp(`style ${style.style_number}, color ${colorway.color_code}.*HTTP 404`)),
      }),
    ]);
    expect(about(gone)[0].details).toMatchObject({ style: style.style_number, color: colorway.color_code, url: `${stack.amc.url}${gone}` });
    expect(events).toHaveLength(3);
    const actual = await actualAssets(stack.joor);
    expect(actual.get(style.style_number)).toContain(`image:${fine}`);
    expect(actual).toEqual(expectedNow());
  });

  it('with syncImages off nothing is sent or removed and a manual run says why; turned on, the next run is full and catches up', async () => {
    const before = await actualAssets(stack.joor);
    await stack.connections.update(connectionId, { settings: { syncImages: false } });
    const style = pickStyle((p) => p.images.length >= 1);
    style.images = [{ img: `/images/styles/${style.product_id}-spring.png`, is_catalog_image: '1' }];
    await patchAmc(stack, 'products', style.product_id, { images: style.images });
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const catalog = await stack.sync(connectionId);
    const off = await stack.media!.sync(connectionId, { full: true });
    expect(off.status).toBe('succeeded');
    expect(off.details).toMatchObject({ skipped: expect.stringMatching(/syncImages is false/) });
    expect((await assetCalls(kit, since)).writes).toEqual([]);
    expect((await mediaRuns()).filter((r) => r.details.causedBy === catalog.id)).toEqual([]);
    expect(await actualAssets(stack.joor)).toEqual(before);
    expect(before.get(style.style_number)).not.toEqual([`image:${style.images[0].img}`]);

    await stack.connections.update(connectionId, { settings: { syncImages: true } });
    const on = await stack.media!.sync(connectionId);
    expect(on.details).toMatchObject({ mode: 'full', shapeChanged: ['syncImages'] });
    expect(on.status).toBe('partial'); // the refused images of the test before are still in AMC
    expect((await actualAssets(stack.joor)).get(style.style_number)).toEqual([`image:${style.images[0].img}`]);
    expect(await actualAssets(stack.joor)).toEqual(expectedNow());
  });

  it('a color whose last image is removed in AMC keeps its images on JOOR (no call can empty a set) and says so', async () => {
    const style = pickStyle((p) => brand.amc.attributes.some((a) => a.product_id === p.product_id && a.joor_sync === '1' && a.images.length > 0));
    const colorway = brand.amc.attributes.find((a) => a.product_id === style.product_id && a.joor_sync === '1' && expectedNow().has(`${style.style_number}|${a.color_code}`))!;
    const key = `${style.style_number}|${colorway.color_code}`;
    const before = (await actualAssets(stack.joor)).get(key);
    expect(before).toEqual(expectedNow().get(key));
    colorway.images = [];
    await patchAmc(stack, 'product_attributes', colorway.id, { images: [] });
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.media!.sync(connectionId, { styleNumbers: [style.style_number] });
    expect(run.status).toBe('succeeded');
    const warnings: Array<{ entity_key: string; reason: string }> = await stack.app
      .get(DataSource)
      .query(`SELECT entity_key, reason FROM sync_event WHERE run_id = $1 AND level = 'warning'`, [run.id]);
    expect(warnings).toEqual([{ entity_key: `${style.style_number}/${colorway.color_code}`, reason: expect.stringMatching(/no image left in AMC.*remove its images in JOOR by hand/) }]);
    expect((await assetCalls(kit, since)).writes).toEqual([]);
    expect((await actualAssets(stack.joor)).get(key)).toEqual(before);
    // Said once: the next run finds nothing to do.
    const again = await stack.media!.sync(connectionId, { styleNumbers: [style.style_number] });
    expect(again).toMatchObject({ status: 'succeeded', countUpdated: 0, countCreated: 0, creditsSpent: 0 });
    expect(again.countUnchanged).toBeGreaterThan(0);
    expect(await stack.app.get(DataSource).query(`SELECT reason FROM sync_event WHERE run_id = $1 AND level <> 'info'`, [again.id])).toEqual([]);
    handLoaded.set(key, before!);
  });

  it('with colorways as products, each colorway product carries the style images and its own color set', async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    handLoaded.clear();
    const connection = await stack.connect('colorways', { syncColorwaysAsProducts: true });
    const catalog = await stack.sync(connection, { full: true });
    expect((await followUpsOf(catalog.id, connection)).length).toBeGreaterThan(0);
    const expected = expectedAssets(brand, { refused, colorwaysAsProducts: true });
    expect([...expected.keys()].some((k) => /^[A-Z]{2}\d+-[A-Z]+$/.test(k))).toBe(true);
    expect(await actualAssets(stack.joor)).toEqual(expected);
  });

  it('with 20% of JOOR asset calls faulted, runs converge to the expected images, with no 429', async () => {
    // JOOR's catalog and assets are wiped (the hand-loaded image with them); a new connection puts them back, its images under faults.
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    handLoaded.clear();
    const fresh = await stack.connect('faulted');
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    await kit.setFaults({ rules: [{ path: '/v4/assets', kinds: ['500', '503', 'malformed', 'timeout'], rate: 0.2 }], seed: 33, timeoutMs: 1_500 });
    try {
      await stack.sync(fresh, { full: true });
      for (let i = 0; i < 8; i++) {
        const run = await stack.media!.sync(fresh, {}, { backoffMs: 200 });
        // The refused images stay events; done when nothing else failed and nothing is due.
        const events: Array<{ reason: string }> = await stack.app.get(DataSource).query(`SELECT reason FROM sync_event WHERE run_id = $1 AND level = 'error'`, [run.id]);
        if (run.status !== 'failed' && events.length === refused.size && !(run.details as { due?: number }).due) break;
      }
    } finally {
      await kit.clearFaults();
    }
    expect(await actualAssets(stack.joor)).toEqual(expectedNow());
    expect((await assetCalls(kit, since)).throttled).toBe(0);
    expect((await kit.calls({ since, limit: 10_000 })).calls.some((c) => c.fault !== null)).toBe(true);
  });
});

describe('media sync with sets larger than one bulk call', () => {
  jest.setTimeout(240_000);
  const seed = { styles: 12, seed: 5 };
  let stack: CatalogStack;
  let brand: Brand;
  let connectionId: string;

  beforeAll(async () => {
    // Two assets a call: a style's three images go as one call that adds (or replaces) and one that adds.
    stack = await startCatalogStack('media-large', seed, { media: true, joorEnv: { JOOR_SANDBOX_FETCH_ASSETS: 'true' }, mediaTuning: { assetsPerCall: 2 } });
    brand = generateBrand({ ...seed, customers: 20, orders: 0 });
    connectionId = await stack.connect('brand', { syncImages: false });
    await stack.sync(connectionId, { full: true });
    await stack.connections.update(connectionId, { settings: { syncImages: true } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sends a set over several calls in order, and replaces it whole when it changes', async () => {
    const first = await stack.media!.sync(connectionId);
    expect(first.status).toBe('succeeded');
    expect(await actualAssets(stack.joor)).toEqual(expectedAssets(brand));
    const onJoor = expectedCatalog(brand).products;
    const style = brand.amc.products.find((p) => onJoor.has(p.style_number) && p.images.length === 3);
    expect(style).toBeDefined();
    style!.images = [{ img: `/images/styles/${style!.product_id}-b.png`, is_catalog_image: '0' }, ...style!.images];
    await patchAmc(stack, 'products', style!.product_id, { images: style!.images });
    const second = await stack.media!.sync(connectionId);
    expect(second).toMatchObject({ status: 'succeeded', countUpdated: 1 });
    const actual = await actualAssets(stack.joor);
    expect(actual.get(style!.style_number)).toHaveLength(4);
    expect(actual).toEqual(expectedAssets(brand));
  });
});
