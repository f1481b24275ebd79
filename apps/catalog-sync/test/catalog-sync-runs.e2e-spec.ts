import { DataSource } from 'typeorm';
import { jobOptionsFor, QUEUES } from '@app/contracts';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { waitFor } from '@app/testing';
import { actualCatalog, startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';

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
    const actual = await actualCatalog(stack.joor);
    expect([...actual.products.keys()].sort()).toEqual([...wanted].sort());
    const job = await stack.queue.getJob(stack.lastJobId!);
    expect(job?.progress).toMatchObject({ done: 3, total: 3 });
    expect(job?.returnvalue).toEqual({ runId: run.id, status: 'succeeded' });
    // styleNumbers never moves the delta cursor.
    expect(await dataSource.query(`SELECT * FROM sync_cursor WHERE connection_id = $1`, [id])).toEqual([]);
  });

  it('one run per connection: a scheduled job (no run id) opens its own run and is skipped while another runs; a manual one waits its turn', async () => {
    const id = await stack.connect('scheduled');
    const defaults = jobOptionsFor(QUEUES.catalog, 'catalog.sync');
    const first = await stack.recorder.queue(id, 'styles', 'manual', { full: true });
    await stack.queue.add('catalog.sync', { connectionId: id, runId: first.id, trigger: 'manual', full: true }, { ...defaults, jobId: `a-${first.id}` });
    await waitFor('the first run to start', async () => (await stack.recorder.find(first.id))?.status === 'running', 20_000, 20);
    const second = await stack.recorder.queue(id, 'styles', 'manual', { full: true });
    await stack.queue.add('catalog.sync', { connectionId: id, runId: second.id, trigger: 'manual', full: true }, { ...defaults, jobId: `b-${second.id}` });
    await stack.queue.add('catalog.sync', { connectionId: id, trigger: 'schedule' }, { ...defaults, jobId: `s-${first.id}` });
    const scheduledRun = await waitFor('the scheduled run row', async () => {
      const rows: Array<{ id: string }> = await dataSource.query(`SELECT id FROM sync_run WHERE connection_id = $1 AND trigger = 'schedule'`, [id]);
      return rows[0]?.id;
    });
    const skipped = await stack.waitRun(scheduledRun);
    const a = await stack.waitRun(first.id);
    const b = await stack.waitRun(second.id);
    expect(skipped).toMatchObject({ status: 'succeeded', startedAt: null, jobId: `s-${first.id}`, details: expect.objectContaining({ skipped: expect.stringMatching(/another catalog run/) }) });
    expect(a.status).toBe('partial');
    expect(b.status).toBe('partial');
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
    expect(b.details).toMatchObject({ waiting: expect.stringMatching(/another catalog run/) });
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

  it('syncColorwaysAsProducts sends each colorway as its own JOOR product', async () => {
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    const id = await stack.connect('colorways', { syncColorwaysAsProducts: true });
    const run = await stack.sync(id, { full: true });
    expect(run.status).toBe('partial');
    const actual = await actualCatalog(stack.joor);
    const first = brand.amc.products[0];
    const colors = brand.amc.attributes.filter((a) => a.product_id === first.product_id && a.joor_sync === '1');
    const keys = [...actual.products.keys()].filter((k) => k.startsWith(`${first.style_number}-`));
    expect(keys.sort()).toEqual(colors.map((c) => `${first.style_number}-${c.color_code}`).sort());
    const skusOfFirst = actual.raw.skus.filter((s) => keys.includes(actual.raw.products.find((p) => p.id === s.product_id)!.external_id));
    for (const sku of skusOfFirst) {
      const product = actual.raw.products.find((p) => p.id === sku.product_id)!;
      const color = sku.trait_values.find((t) => Number(t.trait_id) === 1001)!.value;
      expect(product.name.endsWith(`- ${color}`)).toBe(true);
    }
  });
});
