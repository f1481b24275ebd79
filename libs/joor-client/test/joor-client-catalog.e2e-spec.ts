import { JoorApiError, type JoorProductInput, type JoorSkuInput } from '../src';
import { clientFixture, type ClientFixture } from './joor-client.fixture';

const product = (n: number, extra: Partial<JoorProductInput> = {}): JoorProductInput => ({
  name: `Style ${n}`,
  external_id: `ST-${n}`,
  product_identifier: `ST-${n}`,
  description: 'Cotton',
  ...extra,
});

/** The sandbox caps bulk calls at 5 here so chunking shows with a handful of items. */
describe('JoorClient catalog calls', () => {
  let fx: ClientFixture;

  beforeAll(async () => {
    fx = await clientFixture('catalog', { JOOR_SANDBOX_BULK_MAX: '5' });
  });
  afterAll(() => fx?.close());

  it('chunks a bulk create to the documented maximum and reports each item', async () => {
    await fx.sb.control('DELETE', 'calls');
    const inputs = Array.from({ length: 12 }, (_, i) => product(i + 1));
    inputs[7] = product(8, { name: 'N'.repeat(101) });
    const result = await fx.client().createProducts(inputs);
    expect(result.ok).toHaveLength(11);
    expect(result.ok.every((o) => !o.duplicated && o.record?.external_id === inputs[o.index].external_id)).toBe(true);
    expect(result.failed).toEqual([expect.objectContaining({ index: 7, status: 'INVALID', message: 'name is longer than 100 characters' })]);
    const calls = (await fx.sb.control('GET', 'calls?path=/v4/products/bulk_create')).calls as Array<{ credits: number }>;
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.credits === 5)).toBe(true);
  });

  it('resolves DUPLICATED to the existing record id', async () => {
    const client = fx.client();
    const existing = (await client.listProducts({ externalIds: ['ST-1', 'ST-2'] })).items;
    const result = await client.createProducts([product(1), product(2), product(99)]);
    expect(result.failed).toEqual([]);
    expect(result.ok.map((o) => [o.index, o.duplicated])).toEqual([
      [0, true],
      [1, true],
      [2, false],
    ]);
    expect(result.ok.slice(0, 2).map((o) => o.id)).toEqual(existing.map((p) => p.id));
  });

  it('creates SKUs and prices with decimal strings, lists them by parent ids, and updates them', async () => {
    const client = fx.client();
    const [shirt] = (await client.listProducts({ externalIds: ['ST-1'] })).items;
    const traits = (await client.traits()).items;
    const color = traits.find((t) => t.name === 'Color')!.id;
    const size = traits.find((t) => t.name === 'Size')!.id;
    const skus: JoorSkuInput[] = ['XS', 'S', 'M', 'L', 'XL', 'XXL'].map((s, i) => ({
      product_id: shirt.id,
      external_id: `ST-1-NAV-${s}`,
      trait_values: [
        { trait_id: color, value: 'Navy', external_id: 'NAV' },
        { trait_id: size, value: s },
      ],
      identifiers: [{ type: 'upc', value: `84012000${String(i).padStart(4, '0')}` }],
    }));
    const created = await client.createSkus(skus);
    expect(created.ok).toHaveLength(6);
    const listed = await client.listSkus({ productIds: [shirt.id] });
    expect(listed.items.map((s) => s.external_id).sort()).toEqual(skus.map((s) => s.external_id).sort());
    const prices = await client.createPrices(created.ok.map((o) => ({ sku_id: o.id, price_type_id: '1', wholesale_value: '40.00', retail_value: '95.00' })));
    expect(prices.ok).toHaveLength(6);
    const again = await client.createPrices([{ sku_id: created.ok[0].id, price_type_id: '1', wholesale_value: '41.00' }]);
    expect(again.ok[0]).toEqual(expect.objectContaining({ duplicated: true, id: prices.ok[0].id }));
    const updated = await client.updatePrices([
      { id: again.ok[0].id, wholesale_value: '41.10' },
      { id: '999999', wholesale_value: '1.00' },
    ]);
    expect(updated.ok[0].record?.wholesale_value).toBe('41.10');
    expect(updated.failed).toEqual([expect.objectContaining({ index: 1, status: 'NOT_FOUND' })]);
    const read = await client.listPrices({ skuIds: created.ok.map((o) => o.id) });
    expect(read.items.map((p) => p.wholesale_value).sort()).toEqual(['40.00', '40.00', '40.00', '40.00', '40.00', '41.10']);
    const inactive = await client.updateSkus([{ id: created.ok[5].id, status: 'INACTIVE' }]);
    expect(inactive.ok[0].record?.status).toBe('INACTIVE');
  });

  it('keeps each product-s images in one call under replace_all, so no call wipes images another call just sent', async () => {
    const client = fx.client();
    const products = (await client.listProducts({ externalIds: ['ST-3', 'ST-4'] })).items;
    const images = products.flatMap((p) =>
      [0, 1, 2].map((i) => ({
        product: { id: p.id },
        asset: { type: 'image' as const, filename: `${p.external_id}-${i}.png`, source_url: `http://127.0.0.1:9/${p.external_id}-${i}.png`, external_id: `${p.external_id}-IMG-${i}` },
        display_order: i + 1,
      })),
    );
    // 2 products x 3 images under a maximum of 5: plain chunks (5 + 1) would let the second call wipe two images of ST-4.
    const result = await client.addProductAssets(images, { replaceAll: true });
    expect(result.ok).toHaveLength(6);
    const stored = (await client.listAssets({ productIds: products.map((p) => p.id) })).items;
    expect(stored.map((a) => a.external_id).sort()).toEqual(images.map((i) => i.asset.external_id).sort());
  });

  it('tells linesheets made by hand in JOOR from the ones the API made', async () => {
    const client = fx.client();
    const [shirt] = (await client.listProducts({ externalIds: ['ST-2'] })).items;
    await fx.sb.control('POST', 'collections', { name: 'Hand-made picks' });
    const created = await client.createCollections([{ name: 'API linesheet', external_id: 'LS-API', items: [{ product_id: shirt.id }] }]);
    expect(created.ok).toHaveLength(1);
    const all = (await client.listCollections()).items;
    expect(all.map((c) => [c.name, c.created_by_api])).toEqual([
      ['Hand-made picks', false],
      ['API linesheet', true],
    ]);
  });

  it('surfaces a call beyond the bulk maximum as a permanent JoorApiError with JOOR-s message', async () => {
    const client = fx.client({ bulkMax: 10 });
    const error = (await client.createProducts(Array.from({ length: 6 }, (_, i) => product(200 + i))).catch((err: unknown) => err)) as JoorApiError;
    expect(error).toBeInstanceOf(JoorApiError);
    expect(error.httpStatus).toBe(400);
    expect(error.details.joorStatus).toBe('BULK_LIMIT_EXCEEDED');
    expect(error.transient).toBe(false);
    expect(error.message).toContain('At most 5 items per bulk request');
  });
});
