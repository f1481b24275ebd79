import { joorSandboxIds as ids, JoorRaw, startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';

const COLOR = 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==';
const SIZE = 'U0tVVHJhaXQ6U2l6ZQ==';
/** What an opaque id says in plain text (`Product:5`). */
const plain = (id: string) => Buffer.from(id, 'base64').toString('utf8');

type StateSku = { id: number; product_id: number; trait_values: Array<{ trait_id: unknown; value: string; external_id?: string }> };

describe('JOOR sandbox, opaque ids and wrapped v2 (JOOR_SANDBOX_ID_STYLE=opaque, JOOR_SANDBOX_V2_ENVELOPE=wrapped)', () => {
  let sb: JoorSandboxHarness;
  let raw: JoorRaw;
  let productId: string;
  let skuIds: string[];
  let warehouse: string;

  beforeAll(async () => {
    sb = await startJoorSandbox('dialects', { JOOR_SANDBOX_ID_STYLE: 'opaque', JOOR_SANDBOX_V2_ENVELOPE: 'wrapped' });
    warehouse = (await sb.seed({ styles: 5, seed: 5, orders: 4 })).warehouses[0];
    raw = new JoorRaw(sb);
  });
  afterAll(() => sb?.close());

  it('serves the two traits with JOOR-s own ids and takes only opaque ids back', async () => {
    expect((await raw.v4('GET', '/traits')).body.data).toEqual([
      { id: COLOR, name: 'Style Color' },
      { id: SIZE, name: 'Size' },
    ]);
    const created = await raw.v4('POST', '/products/bulk_create', [{ name: 'Shirt', external_id: 'OP-1', product_identifier: 'OP-1', description: 'Linen' }]);
    productId = created.body.data[0].id;
    expect(plain(productId)).toMatch(/^Product:\d+$/);
    const number = String(ids.internal('Product', productId));
    // A number, its digits, or an id of another type is not an id of this JOOR.
    const numeric = await raw.v4('POST', '/products/bulk_update', [
      { id: Number(number), name: 'A' },
      { id: number, name: 'B' },
      { id: ids.opaque('SKU', number), name: 'C' },
      { id: productId, name: 'Shirt' },
    ]);
    expect(numeric.body.errors.map((e: { status: string; message: string; details: { index: number } }) => [e.details.index, e.status, e.message])).toEqual([
      [0, 'INVALID', 'id must be a JOOR id'],
      [1, 'INVALID', 'id must be a JOOR id'],
      [2, 'INVALID', 'id must be a JOOR id'],
    ]);
    expect(numeric.body.data).toEqual([expect.objectContaining({ id: productId, name: 'Shirt' })]);
    expect((await raw.v4('GET', '/products', undefined, { ids: number })).status).toBe(400);
    expect((await raw.v4('GET', '/products', undefined, { ids: productId })).body.data.map((p: { id: string }) => p.id)).toEqual([productId]);
    // The control routes stay internal and numeric.
    expect(((await sb.control('GET', 'state/products')) as Array<{ id: number }>).map((p) => p.id)).toEqual([Number(number)]);
  });

  it('renames a SKU-s color and size through skus/bulk_update; a clash on color + size is DUPLICATED with the other SKU-s id', async () => {
    const sku = (size: string) => ({
      product_id: productId,
      external_id: `OP-1-NAV-${size}`,
      trait_values: [
        { trait_id: COLOR, value: 'Navy', external_id: 'NAV' },
        { trait_id: SIZE, value: size },
      ],
    });
    const created = await raw.v4('POST', '/skus/bulk_create', [sku('S'), sku('M')]);
    expect(created.body.errors).toEqual([]);
    skuIds = created.body.data.map((s: { id: string }) => s.id);
    expect(created.body.data[0]).toEqual(
      expect.objectContaining({
        product_id: productId,
        trait_values: [
          { trait_id: COLOR, value: 'Navy', external_id: 'NAV' },
          { trait_id: SIZE, value: 'S' },
        ],
      }),
    );

    const renamed = await raw.v4('POST', '/skus/bulk_update', [
      { id: skuIds[0], trait_values: [{ trait_id: COLOR, value: 'Midnight', external_id: 'MID' }] },
      { id: skuIds[1], trait_values: [{ trait_id: SIZE, value: 'L' }] },
      { id: skuIds[1], trait_values: [{ trait_id: 1001, value: 'Red' }] },
      {
        id: skuIds[1],
        trait_values: [
          { trait_id: COLOR, value: 'A' },
          { trait_id: COLOR, value: 'B' },
        ],
      },
    ]);
    expect(renamed.body.data.map((s: { trait_values: Array<{ value: string; external_id?: string }> }) => s.trait_values)).toEqual([
      [
        { trait_id: COLOR, value: 'Midnight', external_id: 'MID' },
        { trait_id: SIZE, value: 'S' },
      ],
      [
        { trait_id: COLOR, value: 'Navy', external_id: 'NAV' },
        { trait_id: SIZE, value: 'L' },
      ],
    ]);
    expect(renamed.body.errors.map((e: { status: string; message: string }) => [e.status, e.message])).toEqual([
      ['INVALID', expect.stringContaining('unknown trait_id')],
      ['INVALID', 'a SKU carries exactly one Color trait value'],
    ]);

    // SKU 1 is now Navy/L; making SKU 0 Navy/L again clashes with it.
    const clash = await raw.v4('POST', '/skus/bulk_update', [
      {
        id: skuIds[0],
        trait_values: [
          { trait_id: COLOR, value: 'Navy' },
          { trait_id: SIZE, value: 'L' },
        ],
      },
    ]);
    expect(clash.body).toEqual({ data: [], errors: [expect.objectContaining({ status: 'DUPLICATED', details: expect.objectContaining({ index: 0, id: skuIds[1] }) })] });

    const state = (await sb.control('GET', 'state/skus')) as StateSku[];
    expect(state.map((s) => [s.id, s.trait_values.map((t) => `${String(t.trait_id)}=${t.value}`)])).toEqual([
      [ids.internal('SKU', skuIds[0]), ['1001=Midnight', '1002=S']],
      [ids.internal('SKU', skuIds[1]), ['1001=Navy', '1002=L']],
    ]);
  });

  it('prices: retail_value null clears the retail value, an absent one keeps it, a null wholesale_value is refused', async () => {
    const priceType = (await raw.v4('GET', '/price_types')).body.data[0];
    expect(plain(priceType.id)).toMatch(/^PriceType:\d+$/);
    const created = await raw.v4(
      'POST',
      '/prices/bulk_create',
      skuIds.map((sku_id) => ({ sku_id, price_type_id: priceType.id, wholesale_value: '40.00', retail_value: '95.00' })),
    );
    expect(created.body.errors).toEqual([]);
    const [a, b] = created.body.data.map((p: { id: string }) => p.id);
    const updated = await raw.v4('POST', '/prices/bulk_update', [
      { id: a, retail_value: null },
      { id: b, wholesale_value: '41.00' },
      { id: b, wholesale_value: null },
    ]);
    expect(updated.body.data.map((p: { id: string; wholesale_value: string; retail_value: string | null }) => [p.id, p.wholesale_value, p.retail_value])).toEqual([
      [a, '40.00', null],
      [b, '41.00', '95.00'],
    ]);
    expect(updated.body.errors).toEqual([expect.objectContaining({ status: 'INVALID', message: 'wholesale_value cannot be cleared', details: expect.objectContaining({ index: 2 }) })]);
    const listed = await raw.v4('GET', '/prices', undefined, { sku_ids: skuIds.join(',') });
    expect(listed.body.data.map((p: { retail_value: string | null }) => p.retail_value)).toEqual([null, '95.00']);
  });

  it('products: description "" or null clears it, an absent one keeps it', async () => {
    const more = await raw.v4(
      'POST',
      '/products/bulk_create',
      ['OP-2', 'OP-3'].map((s) => ({ name: s, external_id: s, product_identifier: s, description: 'Wool' })),
    );
    const [p2, p3] = more.body.data.map((p: { id: string }) => p.id);
    const updated = await raw.v4('POST', '/products/bulk_update', [
      { id: productId, description: '' },
      { id: p2, description: null },
      { id: p3, name: 'OP-3 renamed' },
    ]);
    expect(updated.body.data.map((p: { description: string }) => p.description)).toEqual(['', '', 'Wool']);
  });

  it('answers the v2 feed wrapped: many orders, exactly one, none; lines wrapped; numbers as text; opaque order ids', async () => {
    const many = await raw.v2('GET', '/order/', undefined, { sync: '0', order_type: '8', count: '500' });
    expect(many.status).toBe(200);
    expect(many.body).toEqual({ orders: { order: expect.any(Array) }, start_from: '0', count: '4', total_count: '4' });
    const orders = many.body.orders.order as Array<Record<string, any>>;
    expect(orders.every((o) => /^Order:\d+$/.test(plain(o.order_id)))).toBe(true);
    for (const order of orders) {
      const lines = order.line_items.line_item;
      expect(lines).toBeDefined();
      for (const line of Array.isArray(lines) ? lines : [lines]) expect(typeof line.item_quantity).toBe('string');
    }

    const one = await raw.v2('GET', '/order/', undefined, { sync: '0', order_type: '8', order_id: orders[1].order_id });
    expect(one.body).toEqual({ orders: { order: expect.objectContaining({ order_id: orders[1].order_id }) }, start_from: '0', count: '1', total_count: '1' });
    // The order's digits are not its id.
    expect((await raw.v2('GET', '/order/', undefined, { sync: '0', order_type: '8', order_id: String(ids.internal('Order', orders[1].order_id)) })).body.orders).toBe('');

    const none = await raw.v2('GET', '/order/', undefined, { sync: '0', customer_code: 'NOBODY' });
    expect(none.body).toEqual({ orders: '', start_from: '0', count: '0', total_count: '0' });

    await sb.control('POST', 'orders', {
      order_id: '990001',
      status: 'Approved',
      order_currency: 'USD',
      order_total: '20.00',
      customer_code: 'ONE-LINE',
      line_items: [{ item_number: '1', item_style_identifier: 'OP-1', item_color_code: 'NAV', item_upc: '1', item_size: 'L', item_price: '10.00', item_retail_price: '20.00', item_quantity: 2 }],
    });
    const single = await raw.v2('GET', '/order/', undefined, { sync: '0', customer_code: 'ONE-LINE' });
    expect(single.body.orders.order).toEqual(
      expect.objectContaining({ order_id: ids.opaque('Order', 990001), line_items: { line_item: expect.objectContaining({ item_upc: '1', item_quantity: '2' }) } }),
    );

    const exported = await raw.v4('POST', '/orders/bulk_update', [{ id: ids.opaque('Order', 990001), export_status: 'Success' }]);
    expect(exported.body.data).toEqual([expect.objectContaining({ id: ids.opaque('Order', 990001), export_status: 'Success' })]);
  });

  it('answers bulk-inventory, bulk-connection and the connection lookup wrapped', async () => {
    const product = (await raw.v4('POST', '/products/bulk_create', [{ name: 'Inv', external_id: 'INV-1', product_identifier: 'INV-1' }])).body.data[0];
    await raw.v4(
      'POST',
      '/skus/bulk_create',
      ['S', 'M'].map((size) => ({
        product_id: product.id,
        external_id: `INV-1-${size}`,
        trait_values: [
          { trait_id: COLOR, value: 'Black', external_id: 'BLK' },
          { trait_id: SIZE, value: size },
        ],
      })),
    );
    const item = (size: string, inventory: number) => ({ warehouse, inventory_date: 'IMMEDIATE', style_identifier: 'INV-1', color_code: 'BLK', size, inventory });
    const two = await raw.v2('POST', '/bulk-inventory', { inventory_items: { inventory_item: [item('S', 3), item('M', 4)] } }, { overwrite: '1' });
    expect(two.body).toEqual({ sku_count: '2', inventory_log: { inventory_log_item: [expect.objectContaining({ status: 'Success' }), expect.objectContaining({ status: 'Success' })] } });
    expect(two.body.inventory_log.inventory_log_item.every((l: { inventory_log_id: string }) => /^InventoryLog:\d+$/.test(plain(l.inventory_log_id)))).toBe(true);
    const one = await raw.v2('POST', '/bulk-inventory', { inventory_items: { inventory_item: item('S', 5) } }, { overwrite: '0' });
    expect(one.body).toEqual({ sku_count: '1', inventory_log: { inventory_log_item: expect.objectContaining({ status: 'Success' }) } });

    const log = await raw.v2('POST', '/bulk-connection', {
      bulk_connections: {
        connection: [
          { customer_code: 'W-1', customer_name: 'One' },
          { customer_code: 'W-2', customer_name: 'Two' },
        ],
      },
    });
    expect(log.body).toEqual({
      job_status: 'queued',
      connection_log: { connection: [expect.objectContaining({ customer_code: 'W-1', status: 'Pending' }), expect.objectContaining({ customer_code: 'W-2', status: 'Pending' })] },
    });
    await sb.control('POST', 'connections/process', { customer_codes: ['W-1'] });
    const found = await raw.v2('GET', '/connection/customer_code/W-1/');
    expect(found.body).toEqual({ connections: { connection: expect.objectContaining({ customer_code: 'W-1', customer_name: 'One', connection_status: 'Connected' }) } });
    expect((await raw.v2('GET', '/connection/customer_code/W-2/')).status).toBe(404);
  });
});

describe('JOOR sandbox catalog update semantics in the default dialect (numeric ids, bare v2)', () => {
  let sb: JoorSandboxHarness;
  let raw: JoorRaw;

  beforeAll(async () => {
    sb = await startJoorSandbox('semantics');
    raw = new JoorRaw(sb);
  });
  afterAll(() => sb?.close());

  it('renames a SKU-s size, clears a retail value with null and a description with null', async () => {
    expect((await raw.v4('GET', '/traits')).body.data).toEqual([
      { id: 1001, name: 'Color' },
      { id: 1002, name: 'Size' },
    ]);
    const product = (await raw.v4('POST', '/products/bulk_create', [{ name: 'P', external_id: 'N-1', product_identifier: 'N-1', description: 'Cotton' }])).body.data[0];
    expect(typeof product.id).toBe('number');
    const sku = (
      await raw.v4('POST', '/skus/bulk_create', [
        {
          product_id: product.id,
          external_id: 'N-1-S',
          trait_values: [
            { trait_id: 1001, value: 'Ecru', external_id: 'ECR' },
            { trait_id: 1002, value: 'S' },
          ],
        },
      ])
    ).body.data[0];
    const renamed = await raw.v4('POST', '/skus/bulk_update', [{ id: sku.id, trait_values: [{ trait_id: 1002, value: 'Small' }] }]);
    expect(renamed.body.data[0].trait_values).toEqual([
      { trait_id: 1001, value: 'Ecru', external_id: 'ECR' },
      { trait_id: 1002, value: 'Small' },
    ]);
    const price = (await raw.v4('POST', '/prices/bulk_create', [{ sku_id: sku.id, price_type_id: '1', wholesale_value: '10.00', retail_value: '20.00' }])).body.data[0];
    expect((await raw.v4('POST', '/prices/bulk_update', [{ id: price.id, wholesale_value: '11.00' }])).body.data[0].retail_value).toBe('20.00');
    expect((await raw.v4('POST', '/prices/bulk_update', [{ id: price.id, retail_value: null }])).body.data[0]).toEqual(expect.objectContaining({ wholesale_value: '11.00', retail_value: null }));
    expect((await raw.v4('POST', '/products/bulk_update', [{ id: product.id, description: null }])).body.data[0].description).toBe('');
    const feed = await raw.v2('GET', '/order/', undefined, { sync: '0', order_type: '8', count: '1' });
    expect(Array.isArray(feed.body.orders)).toBe(true);
    expect(typeof feed.body.total_count).toBe('number');
  });
});
