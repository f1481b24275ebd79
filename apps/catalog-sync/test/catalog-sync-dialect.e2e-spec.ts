import { DataSource } from 'typeorm';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { SandboxKitClient } from '@app/testing';
import { actualCatalog, expectedCatalog, startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';
import { actualStock, expectedStock } from '@app/testing/inventory-oracle';

const SEED = { styles: 40, seed: 5 };

/**
 * The catalog flow against a JOOR that answers as the public record shows JOOR can: v4 ids as opaque
 * strings (traits `U0tVVHJhaXQ6U3R5bGVDb2xvcg==` "Style Color" and `U0tVVHJhaXQ6U2l6ZQ==`) and v2 in
 * its XML-born wrapped forms. The same end state as with numeric ids, and nothing sent twice.
 */
describe('catalog sync against a JOOR with opaque string ids and wrapped v2 answers', () => {
  jest.setTimeout(180_000);
  let stack: CatalogStack;
  let kit: SandboxKitClient;
  let brand: Brand;
  let connectionId: string;

  beforeAll(async () => {
    stack = await startCatalogStack('dialect', SEED, { joorEnv: { JOOR_SANDBOX_ID_STYLE: 'opaque', JOOR_SANDBOX_V2_ENVELOPE: 'wrapped' }, inventory: true });
    kit = new SandboxKitClient(stack.joor.url);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    connectionId = await stack.connect('opaque', { amcWarehouseId: brand.amc.settings.amcWarehouseId, joorWarehouseName: brand.amc.settings.joorWarehouseName });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a full sync finds the traits by their opaque ids and leaves exactly the expected catalog', async () => {
    const run = await stack.sync(connectionId, { full: true });
    expect(run.status).toBe('partial');
    expect(run.details).toMatchObject({ traits: { color: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', size: 'U0tVVHJhaXQ6U2l6ZQ==' } });
    const expected = expectedCatalog(brand);
    const actual = await actualCatalog(stack.joor, brand);
    expect(actual.products).toEqual(expected.products);
    expect(actual.skus).toEqual(expected.skus);
    expect(actual.prices).toEqual(expected.prices);
    expect(actual.collections).toEqual(expected.collections);
    expect(run.countCreated).toBe(expected.products.size);
  });

  it('the links keep the opaque ids, so a second run writes nothing', async () => {
    const links: Array<{ joor_id: string }> = await stack.app.get(DataSource).query(`SELECT joor_id FROM entity_link WHERE connection_id = $1 AND entity_type = 'sku' LIMIT 5`, [connectionId]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.joor_id).not.toMatch(/^\d+$/);
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.sync(connectionId, { full: true });
    const calls = (await kit.calls({ since, limit: 10_000 })).calls;
    expect(calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v4'))).toEqual([]);
    expect(run.countCreated + run.countUpdated).toBe(0);
  });

  it('stock reaches JOOR through its wrapped v2 inventory answers, for exactly the SKUs on JOOR', async () => {
    const run = await stack.inventory!.sync(connectionId, { full: true });
    expect(run.status).toBe('succeeded');
    const expected = expectedStock(brand, { warehouseId: brand.amc.settings.amcWarehouseId, field: 'qty_avail_sell' });
    expect(await actualStock(stack.joor, brand.amc.settings.joorWarehouseName)).toEqual(expected);
    expect(run.countCreated + run.countUnchanged).toBe(expected.size);
  });
});
