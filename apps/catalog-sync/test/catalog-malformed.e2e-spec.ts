import { DataSource } from 'typeorm';
import { RECORD_MUTATIONS, type RecordMutation } from '@app/sandbox-kit';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { SandboxKitClient } from '@app/testing';
import { actualCatalog, expectedCatalog, startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';

const SEED = { styles: 24, seed: 5 };
/** Which record of AMC's first page of styles is made wrong. */
const RECORD = 3;

interface Event {
  level: string;
  entity_key: string;
  reason: string;
}

/**
 * The chaos issue's malformed records, against the catalog: AMC's answer to the first page of styles
 * comes back with one record made wrong (each of the sandbox kit's mutations in turn). That style
 * may fail, with a plain reason; every other style must stay as a clean run leaves it, and the run
 * must complete. The next clean run puts everything back.
 */
describe('catalog sync when AMC sends one malformed style record (each mutation in turn)', () => {
  jest.setTimeout(300_000);
  let stack: CatalogStack;
  let amcKit: SandboxKitClient;
  let brand: Brand;
  let connectionId: string;
  let expected: Awaited<ReturnType<typeof actualCatalog>>;

  beforeAll(async () => {
    stack = await startCatalogStack('malformed', SEED);
    amcKit = new SandboxKitClient(stack.amc.url);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    connectionId = await stack.connect('malformed');
    await stack.sync(connectionId, { full: true });
    expected = await actualCatalog(stack.joor, brand);
    const oracle = expectedCatalog(brand);
    expect(expected.products).toEqual(oracle.products);
  });

  afterAll(async () => {
    await amcKit?.clearFaults().catch(() => undefined);
    await stack?.close();
  });

  const events = (runId: string): Promise<Event[]> => stack.app.get(DataSource).query(`SELECT level, entity_key, reason FROM sync_event WHERE run_id = $1 ORDER BY id`, [runId]);

  it.each(RECORD_MUTATIONS.map((m) => [m] as [RecordMutation]))('%s: at most that style fails, with a plain reason; the run completes and the rest is untouched', async (mutation) => {
    await amcKit.setFaults({ seed: 1, rules: [{ path: '/api/json/products', method: 'GET', kinds: ['mangle'], rate: 1, times: 1, phase: 'after', mutations: [mutation], record: RECORD }] });
    let run;
    try {
      run = await stack.sync(connectionId, { full: true }, { backoffMs: 100, timeoutMs: 120_000 });
      expect((await amcKit.faults()).rules[0].injected).toBe(1);
    } finally {
      await amcKit.clearFaults();
    }
    expect(['succeeded', 'partial']).toContain(run.status);
    const actual = await actualCatalog(stack.joor, brand);
    const differing = [...new Set([...expected.products.keys(), ...actual.products.keys()])].filter(
      (style) => JSON.stringify(expected.products.get(style)) !== JSON.stringify(actual.products.get(style)),
    );
    // A style whose record could not be read is left as it was on JOOR (never retired on a guess).
    expect(differing).toEqual([]);
    const skusDiffering = [...expected.skus.keys()].filter((k) => JSON.stringify(expected.skus.get(k)) !== JSON.stringify(actual.skus.get(k)));
    expect(skusDiffering).toEqual([]);
    const errors = (await events(run.id)).filter((e) => e.level === 'error');
    expect(errors.length).toBeLessThanOrEqual(1 + brand.expectations.badStyles.length);
    for (const e of errors) expect(e.reason.trim().length).toBeGreaterThan(10);

    // And the next clean run has nothing left to mend.
    const clean = await stack.sync(connectionId, { full: true });
    expect(['succeeded', 'partial']).toContain(clean.status);
    const after = await actualCatalog(stack.joor, brand);
    expect(after.products).toEqual(expected.products);
    expect(after.skus).toEqual(expected.skus);
    expect(after.prices).toEqual(expected.prices);
  });
});
