import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { waitFor } from '@app/testing';
import { actualCatalog, expectedCatalog, startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';

const SEED = { styles: 40, seed: 3 };

describe('catalog runs: schedule, one run per connection, failures, progress, options (sandboxes over HTTP)', () => {
  jest.setTimeout(120_000);
  let stack: CatalogStack;
  let brand: Brand;
  let dataSource: DataSource;

  beforeAll(async () => {
    stack = await startCatalogStack('runs', SEED);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    dataSource = stack.app.get(DataSource);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('styleNumbers limits the run to those styles, and the job reports its progress', async () => {
    const id = await stack.connect('limited');
    const good = brand.amc.products.filter((p) => p.joor_sync === '1' && !brand.expectations.badStyles.some((b) => b.product_id === p.product_id));
    const wanted = good.slice(0, 3).map((p) => p.style_number);
    const run = await stack.sync(id, { styleNumbers: [...wanted, 'NO-SUCH-STYLE'] });
    expect(run.status).toBe('succeeded');
    expect(run.details).toMatchObject({ mode: 'styles' });
    expect(run.progressDone).toBe(3);
    const actual = await actualCatalog(stack.joor, brand);
    expect([...actual.products.keys()].sort()).toEqual([...wanted].sort());
    const job = await stack.queue.getJob(stack.lastJobId!);
    expect(job?.progress).toMatchObject({ done: 3, total: 3 });
    expect(job?.returnvalue).toEqual({ runId: run.id, status: 'succeeded' });
    // styleNumbers never moves the delta cursor.
    expect(await dataSource.query(`SELECT * FROM sync_cursor WHERE connection_id = $1`, [id])).toEqual([]);
  });

  it('one run per connection: a scheduled job (no run id) opens its own run and is skipped while another runs; a manual one waits its turn', async () => {
    const id = await stack.connect('scheduled');
    const first = await stack.recorder.queue(id, 'styles', 'manual', { full: true });
    await stack.enqueue('catalog.sync', { connectionId: id, runId: first.id, trigger: 'manual', full: true }, { jobId: `a-${first.id}` });
    await waitFor('the first run to start', async () => (await stack.recorder.findById(first.id))?.status === 'running', 20_000, 20);
    const second = await stack.recorder.queue(id, 'styles', 'manual', { full: true });
    await stack.enqueue('catalog.sync', { connectionId: id, runId: second.id, trigger: 'manual', full: true }, { jobId: `b-${second.id}` });
    await stack.enqueue('catalog.sync', { connectionId: id, trigger: 'schedule' }, { jobId: `s-${first.id}` });
    const scheduledRun = await waitFor('the scheduled run row', async () => {
      const rows: Array<{ id: string }> = await dataSource.query(`SELECT id FROM sync_run WHERE connection_id = $1 AND trigger = 'schedule'`, [id]);
      return rows[0]?.id;
    });
    const skipped = await stack.waitRun(scheduledRun);
    const a = await stack.waitRun(first.id);
    const b = await stack.waitRun(second.id);
    expect(skipped).toMatchObject({ status: 'succeeded', startedAt: null, jobId: `s-${first.id}`, details: expect.objectContaining({ skipped: expect.stringMatching(/another styles sync/) }) });
    expect(a.status).toBe('partial');
    expect(b.status).toBe('partial');
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
    expect(b.details).toMatchObject({ waiting: expect.stringMatching(/another styles sync/) });
  });

  it('a follow-up job opens its own run with trigger follow-up, naming the run that caused it', async () => {
    const id = await stack.connect('followed-up');
    const cause = await stack.recorder.queue(id, 'orders', 'manual');
    await stack.enqueue('catalog.sync', { connectionId: id, trigger: 'follow-up', causedBy: cause.id, styleNumbers: [brand.amc.products[0].style_number] }, { jobId: `follow-up-test-${cause.id}` });
    const runId = await waitFor('the follow-up run row', async () => {
      const rows: Array<{ id: string }> = await dataSource.query(`SELECT id FROM sync_run WHERE connection_id = $1 AND kind = 'styles'`, [id]);
      return rows[0]?.id;
    });
    const run = await stack.waitRun(runId);
    expect(run).toMatchObject({ trigger: 'follow-up', status: 'succeeded', details: expect.objectContaining({ causedBy: cause.id, mode: 'styles' }) });
  });

  it('a permanent failure (AMC refuses the token) ends the run failed with the reason, without retries', async () => {
    const id = await stack.connect('bad-token');
    const [{ secrets_enc }] = await dataSource.query(`SELECT secrets_enc FROM connection WHERE id = $1`, [id]);
    expect(secrets_enc).toBeDefined();
    await stack.connections.update(id, { secrets: { amcToken: 'wrong-token' } });
    const run = await stack.sync(id, { full: true });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/AMC/);
    expect(run.error).not.toMatch(/wrong-token/);
    const job = await stack.queue.getJob(stack.lastJobId!);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.isFailed()).toBe(true);
  });

  it('switching syncColorwaysAsProducts moves every SKU to the product it now belongs to, and back', async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    const id = await stack.connect('colorways');
    const styleMode = await stack.sync(id, { full: true });
    expect(styleMode.status).toBe('partial');
    expect((await actualCatalog(stack.joor, brand)).products).toEqual(expectedCatalog(brand).products);

    // On: a plain delta sees the new mode and re-reads every style.
    await stack.connections.update(id, { settings: { syncColorwaysAsProducts: true } });
    const on = await stack.sync(id);
    expect(on.details).toMatchObject({ mode: 'full', shapeChanged: ['colorwaysAsProducts'] });
    let actual = await actualCatalog(stack.joor, brand);
    let expected = expectedCatalog(brand, { colorwaysAsProducts: true });
    expect(actual.products).toEqual(expected.products);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    expect(actual.collections).toEqual(expected.collections);
    const first = brand.amc.products[0];
    // The style-mode product is still on JOOR, every SKU of it INACTIVE, and it left its linesheet.
    const old = actual.raw.products.find((p) => p.external_id === first.style_number)!;
    expect(old).toBeDefined();
    const oldSkus = actual.raw.skus.filter((k) => k.product_id === old.id);
    expect(oldSkus.length).toBeGreaterThan(0);
    expect(oldSkus.every((k) => k.status === 'INACTIVE')).toBe(true);
    for (const sku of actual.raw.skus.filter((k) => k.status === 'ACTIVE')) {
      const product = actual.raw.products.find((p) => p.id === sku.product_id)!;
      const color = sku.trait_values.find((t) => String(t.trait_id) === '1001')!.value;
      expect(product.name.endsWith(`- ${color}`)).toBe(true);
    }

    // Off again: the style products carry the SKUs again, the colorway products go INACTIVE.
    await stack.connections.update(id, { settings: { syncColorwaysAsProducts: false } });
    const off = await stack.sync(id);
    expect(off.details).toMatchObject({ mode: 'full', shapeChanged: ['colorwaysAsProducts'] });
    actual = await actualCatalog(stack.joor, brand);
    expected = expectedCatalog(brand);
    expect(actual.products).toEqual(expected.products);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    expect(actual.collections).toEqual(expected.collections);
    const colorProducts = actual.raw.products.filter((p) => p.external_id.startsWith(`${first.style_number}-`));
    expect(colorProducts.length).toBeGreaterThan(0);
    for (const product of colorProducts) expect(actual.raw.skus.filter((k) => k.product_id === product.id).every((k) => k.status === 'INACTIVE')).toBe(true);
  });

  it("prices the MSRP in the connection's default currency when it is not AMC's base currency", async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    const id = await stack.connect('eur-msrp', { defaultCurrency: 'EUR' });
    const run = await stack.sync(id, { full: true });
    expect(run.details).toMatchObject({ defaultCurrency: 'EUR', baseCurrency: 'USD' });
    const actual = await actualCatalog(stack.joor, brand);
    const expected = expectedCatalog(brand, { defaultCurrency: 'EUR' });
    expect(actual.prices).toEqual(expected.prices);
    // The direction matters: the same catalog read with USD MSRPs differs on every converted price.
    const usd = expectedCatalog(brand);
    const eurStyle = [...expected.prices].find(([k]) => k.endsWith('|WHOLESALE USD'))!;
    expect(usd.prices.get(eurStyle[0])).not.toBe(eurStyle[1]);
    const style = brand.amc.products.find((p) => eurStyle[0].startsWith(`${p.style_number}|`))!;
    const eurRate = brand.amc.currencies.find((c) => c.name === 'EUR')!.rate;
    // USD retail of a EUR MSRP: MSRP / EUR rate (AMC rates are per 1 USD, its base).
    expect(eurStyle[1].split('/')[1]).toBe(new Decimal(style.retail_price).div(eurRate).toFixed(2, Decimal.ROUND_HALF_UP));
  });
});
