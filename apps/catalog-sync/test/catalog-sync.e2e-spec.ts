import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { SandboxKitClient } from '@app/testing';
import { actualCatalog, expectedCatalog, startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';

const SEED = { styles: 200, seed: 7 };

async function patchAmc(stack: CatalogStack, resource: string, id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.amc.url}/_sandbox/records/${resource}/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  if (!res.ok) throw new Error(`PATCH ${resource}/${id} answered ${res.status}: ${await res.text()}`);
}

async function events(stack: CatalogStack, runId: string): Promise<Array<{ level: string; entity_type: string; entity_key: string; reason: string }>> {
  return stack.app.get(DataSource).query(`SELECT level, entity_type, entity_key, reason FROM sync_event WHERE run_id = $1 ORDER BY id`, [runId]);
}

function goodStyles(brand: Brand) {
  return brand.amc.products.filter((p) => p.joor_sync === '1' && !brand.expectations.badStyles.some((b) => b.product_id === p.product_id));
}

/** The JOOR writes (POST) and 429s in the sandbox's call log after `since`. */
async function joorCalls(kit: SandboxKitClient, since: number) {
  const page = await kit.calls({ since, limit: 10_000 });
  const writes = page.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v4'));
  return {
    lastSeq: page.lastSeq,
    writes,
    writeCredits: writes.reduce((sum, c) => sum + c.credits, 0),
    credits: page.calls.reduce((sum, c) => sum + c.credits, 0),
    throttled: page.calls.filter((c) => c.status === 429).length,
    byPath: writes.reduce<Record<string, number>>((acc, c) => ((acc[c.path] = (acc[c.path] ?? 0) + 1), acc), {}),
  };
}

describe('catalog sync AMC -> JOOR (both sandboxes over HTTP, real PostgreSQL and Redis)', () => {
  jest.setTimeout(240_000);
  let stack: CatalogStack;
  let kit: SandboxKitClient;
  let brand: Brand;
  let connectionId: string;
  let handMadeId: number;

  beforeAll(async () => {
    stack = await startCatalogStack('main', SEED);
    kit = new SandboxKitClient(stack.joor.url);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    connectionId = await stack.connect('brand');
    const made = await stack.joor.control('POST', 'collections', { name: 'Hand-picked bestsellers', items: [] });
    handMadeId = made.data[0].id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a full sync leaves JOOR with exactly the flagged catalog, prices in every currency and one linesheet per season', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.sync(connectionId, { full: true });
    expect(run.status).toBe('partial');
    const expected = expectedCatalog(brand);
    const actual = await actualCatalog(stack.joor, brand);
    expect(actual.products).toEqual(expected.products);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    expect(actual.collections).toEqual(expected.collections);
    // None of the unflagged styles.
    const unflagged = brand.amc.products.filter((p) => p.joor_sync === '0').map((p) => p.style_number);
    expect(unflagged.length).toBeGreaterThan(0);
    for (const style of unflagged) expect(actual.products.has(style)).toBe(false);

    // Every bad style failed with a reason naming it; JPY price groups are warnings.
    const evs = await events(stack, run.id);
    for (const bad of brand.expectations.badStyles) {
      expect(evs.find((e) => e.level === 'error' && e.entity_key === bad.product_id)).toBeDefined();
    }
    const flaggedIds = new Set(brand.amc.products.filter((p) => p.joor_sync === '1').map((p) => p.product_id));
    expect(brand.expectations.unpricedCurrencyStyles.filter((s) => flaggedIds.has(s.product_id)).length).toBeGreaterThan(0);
    for (const style of brand.expectations.unpricedCurrencyStyles.filter((s) => flaggedIds.has(s.product_id))) {
      expect(evs.find((e) => e.level === 'warning' && e.entity_key.startsWith(`${style.product_id}:`) && /JPY/.test(e.reason))).toBeDefined();
    }
    // Every price group is its own price: the RETAILER USD group arrives beside WHOLESALE USD, EUR's on the
    // type found by its currency, and styles priced only in JPY get their standard price instead.
    const synced = new Set(expected.products.keys());
    const retailerPrices = [...actual.prices.keys()].filter((k) => k.endsWith('|RETAILER USD'));
    expect(retailerPrices.length).toBeGreaterThan(0);
    expect([...actual.prices.keys()].some((k) => k.endsWith('|Euro Wholesale'))).toBe(true);
    const standardOnly = brand.amc.products.filter((p) => brand.expectations.standardPriceStyles.includes(p.product_id) && synced.has(p.style_number));
    expect(standardOnly.length).toBeGreaterThan(0);
    for (const style of standardOnly) {
      const prices = [...actual.prices].filter(([k]) => k.startsWith(`${style.style_number}|`));
      expect(prices.length).toBeGreaterThan(0);
      for (const [key, value] of prices) {
        expect(key.endsWith('|WHOLESALE USD')).toBe(true);
        expect(value).toBe(`${style.price}/${style.retail_price}`);
      }
    }

    const flagged = brand.amc.products.filter((p) => p.joor_sync === '1').length;
    expect(run.countFailed).toBe(brand.expectations.badStyles.length);
    expect(run.countCreated).toBe(flagged - brand.expectations.badStyles.length);
    expect(run.progressDone).toBe(SEED.styles);
    expect(run.progressTotal).toBe(SEED.styles);
    expect(run.details).toMatchObject({ mode: 'full', rates: expect.objectContaining({ EUR: brand.amc.currencies[1].rate }) });

    const calls = await joorCalls(kit, since);
    expect(calls.throttled).toBe(0);
    expect(run.creditsSpent).toBe(calls.credits);
    // Bulk calls filled: at most one partial call per endpoint.
    const bound = (n: number) => Math.ceil(n / 100);
    expect(calls.byPath['/v4/products/bulk_create']).toBe(bound(expected.products.size));
    expect(calls.byPath['/v4/skus/bulk_create']).toBe(bound(expected.skus.size));
    expect(calls.byPath['/v4/prices/bulk_create']).toBe(bound(expected.prices.size));
    expect(calls.byPath['/v4/collections/bulk_create']).toBe(1);
  });

  it('a second full run of the unchanged catalog writes nothing', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.sync(connectionId, { full: true });
    const calls = await joorCalls(kit, since);
    expect(calls.writes).toEqual([]);
    expect(calls.throttled).toBe(0);
    expect(run.countCreated + run.countUpdated).toBe(0);
    expect(run.countUnchanged).toBeGreaterThan(150);
    // Each style counted once, though nothing of it was written.
    expect(run.progressDone).toBe(SEED.styles);
    expect(run.countUnchanged + run.countFailed).toBe(SEED.styles);
  });

  it('a delta after three style edits, a price and an exchange rate writes only those', async () => {
    const good = brand.amc.products.filter((p) => p.joor_sync === '1' && !brand.expectations.badStyles.some((b) => b.product_id === p.product_id));
    const edited = good.slice(1, 4);
    // What JOOR holds now, to count the prices the edits change (the repriced group's included).
    const before = expectedCatalog(brand);
    for (const p of edited) {
      p.description = `${p.description} Edited`;
      await patchAmc(stack, 'products', p.product_id, { description: p.description });
    }
    const repriced = good[10];
    repriced.price_groups[0] = { ...repriced.price_groups[0], price: '999.00' };
    await patchAmc(stack, 'products', repriced.product_id, { price_groups: repriced.price_groups });
    const eur = brand.amc.currencies.find((c) => c.name === 'EUR')!;
    eur.rate = '0.5000';
    await patchAmc(stack, 'currencies', eur.id, { rate: eur.rate });
    const expected = expectedCatalog(brand);
    const changedPrices = [...expected.prices].filter(([k, v]) => before.prices.get(k) !== v).length;

    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.sync(connectionId);
    const calls = await joorCalls(kit, since);
    expect(calls.byPath).toEqual({ '/v4/products/bulk_update': 1, '/v4/prices/bulk_update': Math.ceil(changedPrices / 100) });
    expect(calls.throttled).toBe(0);
    const actual = await actualCatalog(stack.joor, brand);
    expect(actual.products).toEqual(expected.products);
    expect(actual.prices).toEqual(expected.prices);
    expect(run.details).toMatchObject({ rates: expect.objectContaining({ EUR: '0.5000' }), ratesChanged: true });

    // With the rate now recorded, a delta that only edits one style reads only the changed records.
    await patchAmc(stack, 'products', edited[0].product_id, { description: `${edited[0].description} Again` });
    edited[0].description = `${edited[0].description} Again`;
    const delta = await stack.sync(connectionId);
    expect(delta.details).toMatchObject({ mode: 'delta' });
    expect(delta.progressTotal).toBeLessThan(10);
    expect(delta.countUpdated).toBe(1);
  });

  it('a style that loses its flag goes INACTIVE and leaves its linesheet; a style that changes season moves; a hand-made linesheet survives', async () => {
    const good = brand.amc.products.filter((p) => p.joor_sync === '1' && !brand.expectations.badStyles.some((b) => b.product_id === p.product_id));
    const dropped = good[20];
    const mover = good[21];
    const newSeason = brand.joor.seasons.map((s) => s.code).find((code) => code !== mover.season)!;
    dropped.joor_sync = '0';
    mover.season = newSeason;
    await patchAmc(stack, 'products', dropped.product_id, { joor_sync: '0' });
    await patchAmc(stack, 'products', mover.product_id, { season: newSeason });

    const run = await stack.sync(connectionId);
    expect(['succeeded', 'partial']).toContain(run.status);
    const actual = await actualCatalog(stack.joor, brand);
    const expected = expectedCatalog(brand);
    expect(actual.collections).toEqual(expected.collections);
    expect(actual.skus).toEqual(expected.skus);
    const droppedProduct = actual.raw.products.find((p) => p.external_id === dropped.style_number)!;
    expect(droppedProduct).toBeDefined(); // never deleted
    const droppedSkus = actual.raw.skus.filter((s) => s.product_id === droppedProduct.id);
    expect(droppedSkus.length).toBeGreaterThan(0);
    expect(droppedSkus.every((s) => s.status === 'INACTIVE')).toBe(true);
    const handMade = actual.raw.collections.find((c) => c.id === handMadeId)!;
    expect(handMade).toMatchObject({ name: 'Hand-picked bestsellers', created_by_api: false, items: [] });
  });

  it('a renamed color reaches the SKU traits on JOOR, a cleared MSRP clears the retail prices and a cleared UPC the identifier', async () => {
    const good = goodStyles(brand);
    const renamedStyle = good[30];
    const colorway = brand.amc.attributes.find((a) => a.product_id === renamedStyle.product_id && a.joor_sync === '1')!;
    const oldName = colorway.attribute_2;
    const newName = `${oldName} Deep`;
    colorway.attribute_2 = newName;
    await patchAmc(stack, 'product_attributes', colorway.id, { attribute_2: newName });
    const renamedSkus = brand.amc.skus.filter((k) => k.product_id === renamedStyle.product_id && k.attr_2 === oldName);
    expect(renamedSkus.length).toBeGreaterThan(0);
    for (const sku of renamedSkus) {
      sku.attr_2 = newName;
      await patchAmc(stack, 'inventory', sku.sku_id, { attr_2: newName });
    }
    const clearedStyle = good[31];
    clearedStyle.retail_price = '';
    await patchAmc(stack, 'products', clearedStyle.product_id, { retail_price: '' });
    const noUpc = brand.amc.skus.find((k) => k.product_id === good[32].product_id && k.joor_sync === '1' && k.active === '1')!;
    noUpc.upc_display = '';
    await patchAmc(stack, 'inventory', noUpc.sku_id, { upc_display: '' });

    const run = await stack.sync(connectionId);
    expect(run.details).toMatchObject({ mode: 'delta' });
    const expected = expectedCatalog(brand);
    const actual = await actualCatalog(stack.joor, brand);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    // Spelled out: no SKU keeps the old color, no price of the cleared style keeps a retail value.
    expect([...actual.skus.keys()].filter((k) => k.startsWith(`${renamedStyle.style_number}|${oldName}|`))).toEqual([]);
    expect([...actual.skus.keys()].filter((k) => k.startsWith(`${renamedStyle.style_number}|${newName}|`))).toHaveLength(renamedSkus.filter((k) => k.joor_sync === '1' && k.active === '1').length);
    const clearedPrices = [...actual.prices].filter(([k]) => k.startsWith(`${clearedStyle.style_number}|`));
    expect(clearedPrices.length).toBeGreaterThan(0);
    for (const [, value] of clearedPrices) expect(value).toMatch(/\/null$/);
    expect(actual.skus.get(`${good[32].style_number}|${noUpc.attr_2}|${noUpc.size}`)).toBe('');
  });

  it('a style JOOR did not take stays due and goes through at the next delta without any change in AMC', async () => {
    const repriced = goodStyles(brand).slice(40, 42);
    for (const style of repriced) {
      style.price_groups[0] = { ...style.price_groups[0], price: new Decimal(style.price_groups[0].price).plus(1).toFixed(2) };
      await patchAmc(stack, 'products', style.product_id, { price_groups: style.price_groups });
    }
    // Every attempt of the first price update call fails: the client gives up on it after its retries.
    await kit.setFaults({ rules: [{ path: '/v4/prices/bulk_update', kinds: ['503'], rate: 1, times: 5 }], seed: 3 });
    let failed;
    try {
      failed = await stack.sync(connectionId);
    } finally {
      await kit.clearFaults();
    }
    expect(failed.status).toBe('partial');
    expect(failed.countFailed).toBeGreaterThan(0);
    expect(failed.details).toMatchObject({ due: expect.any(Number) });
    expect((failed.details as { due: number }).due).toBeGreaterThan(0);
    const reasons = (await events(stack, failed.id)).filter((e) => e.level === 'error').map((e) => e.reason);
    expect(reasons.some((r) => /did not answer.*tried again at the next delta/.test(r))).toBe(true);
    expect(await actualCatalog(stack.joor, brand).then((a) => a.prices)).not.toEqual(expectedCatalog(brand).prices);

    const retried = await stack.sync(connectionId);
    expect(retried.details).toMatchObject({ mode: 'delta', retried: (failed.details as { due: number }).due, due: 0 });
    expect(retried.status).toBe('succeeded');
    const actual = await actualCatalog(stack.joor, brand);
    expect(actual.prices).toEqual(expectedCatalog(brand).prices);
    // Nothing is due any more: the next delta has nothing to retry.
    const quiet = await stack.sync(connectionId);
    expect(quiet.details).toMatchObject({ retried: 0 });
  });

  it('with 20% of JOOR calls faulted, a fresh connection converges to the same end state, with no 429', async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 }); // empties JOOR's catalog
    const second = await stack.connect('brand-under-faults');
    await kit.setFaults({ rules: [{ path: '/v4', kinds: ['500', '503', 'malformed'], rate: 0.2 }], seed: 11 });
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    let run;
    try {
      run = await stack.sync(second, { full: true }, { backoffMs: 200, timeoutMs: 200_000 });
    } finally {
      await kit.clearFaults();
    }
    const calls = await joorCalls(kit, since);
    expect(calls.throttled).toBe(0);
    expect(run.status).toBe('partial');
    const actual = await actualCatalog(stack.joor, brand);
    const expected = expectedCatalog(brand);
    expect(actual.products).toEqual(expected.products);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    expect(actual.collections).toEqual(expected.collections);
    expect((await kit.calls({ since, limit: 10_000 })).calls.some((c) => c.fault !== null)).toBe(true);
  });
});
