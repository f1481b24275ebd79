import { amcOrderCountsByJoorId, buildWorldState, diffWorldStates, type RawWorld } from './world-state';

const AMC_URL = 'http://127.0.0.1:4711';

/** A small world as the state routes answer it; `offset` shifts every sandbox id, `stamp` every time. */
function rawWorld(offset = 0, stamp = '2026-01-01T00:00:00.000Z', amcUrl = AMC_URL): RawWorld {
  const id = (n: number) => n + offset;
  const sku = (n: number, productId: number, color: string, size: string, upc: string) => ({
    id: id(n),
    product_id: id(productId),
    external_id: `amc-sku-${n}`,
    sku_identifier: `STY-001-${color}-${size}`,
    status: 'ACTIVE',
    trait_values: [
      { trait_id: 1001, value: color, external_id: color.toUpperCase() },
      { trait_id: 1002, value: size },
    ],
    identifiers: [{ type: 'upc', value: upc }],
  });
  return {
    joor: {
      products: [
        {
          id: id(1),
          external_id: 'STY-001',
          name: 'Shirt',
          product_identifier: 'STY-001',
          description: '',
          order_minimum: null,
          category_ids: [],
          product_trait_values: [],
          tags: ['FW26'],
          created_at: stamp,
          updated_at: stamp,
        },
      ],
      skus: [sku(11, 1, 'Red', 'M', '000000000011'), sku(12, 1, 'Red', 'L', '000000000012')],
      prices: [
        { id: id(21), sku_id: id(11), price_type_id: '1', currency_code: 'USD', wholesale_value: '12.50', retail_value: '25.00' },
        { id: id(22), sku_id: id(12), price_type_id: '1', currency_code: 'USD', wholesale_value: '12.50', retail_value: null },
      ],
      collections: [
        { id: id(31), external_id: 'amc-season-FW26', name: 'Fall 2026', season_id: '3', delivery: null, items: [{ product_id: id(1), order_number: 1, sku_ids: [] }], created_by_api: true },
      ],
      assets: [
        {
          id: id(41),
          external_id: `amc-media-${amcUrl}`,
          product_id: id(1),
          level: 'color',
          color_external_id: 'RED',
          type: 'image',
          filename: 'a.png',
          source_url: `${amcUrl}/images/a.png`,
          content_type: null,
          display_order: 1,
        },
      ],
      inventory: [
        {
          warehouse: 'Main',
          sku_id: id(11),
          sku_external_id: 'amc-sku-11',
          upc: '000000000011',
          style_identifier: 'STY-001',
          color: 'Red',
          size: 'M',
          inventory_date: 'immediate',
          quantity: 5,
          made_to_order: false,
          dec_pending: false,
          available: 5,
        },
      ],
      connections: [{ customer_code: 'C1', customer_name: 'Shop', connection_status: 'Connected', created_at: stamp, updated_at: stamp }],
      orders: [
        {
          order_id: '9001',
          order_status: 'Approved',
          customer_code: 'C1',
          line_items: [{ item_upc: '000000000011', item_quantity: 2, item_price: '12.50' }],
          date_modified: stamp,
          export_status: 'Success',
          export_description: `Exported to ApparelMagic as sales order ${id(501)}`,
          date_exported: stamp,
          sync_requested_at: null,
        },
      ],
    },
    amc: {
      orders: [
        {
          order_id: String(id(501)),
          customer_id: '7',
          joor_id: '9001',
          customer_po: 'PO-1',
          order_items: [{ id: String(id(601)), order_id: String(id(501)), sku_id: '11', qty: '2', unit_price: '12.50', amount: '25.00' }],
          last_modified_time: stamp,
        },
      ],
    },
  };
}

const world = (raw: RawWorld = rawWorld(), amcUrl = AMC_URL) => buildWorldState(raw, { amcUrl });

describe('buildWorldState', () => {
  it('keys records by natural keys and replaces references by them', () => {
    const state = world();
    expect(Object.keys(state.joor.skus)).toEqual(['STY-001/Red/L', 'STY-001/Red/M']);
    expect(state.joor.skus['STY-001/Red/M']).toMatchObject({ product: 'STY-001', status: 'ACTIVE' });
    expect(state.joor.prices['STY-001/Red/M@1']).toEqual({ currency_code: 'USD', price_type_id: '1', retail_value: '25.00', sku: 'STY-001/Red/M', wholesale_value: '12.50' });
    expect(state.joor.collections['amc-season-FW26']).toMatchObject({ products: ['STY-001'] });
    expect(state.joor.assets['STY-001|color:RED|<amc>/images/a.png']).toMatchObject({ product: 'STY-001', source_url: '<amc>/images/a.png' });
    expect(Object.keys(state.joor.inventory)).toEqual(['Main|STY-001/Red/M|immediate']);
    expect(state.joor.orders['9001']).toMatchObject({ export_description: 'Exported to ApparelMagic as sales order <AMC order of JOOR 9001>', sync_requested: false });
    expect(state.amc.orders['9001']).toEqual([
      { customer_id: '7', customer_po: 'PO-1', joor_id: '9001', order_items: [{ amount: '25.00', qty: '2', sku_id: '11', unit_price: '12.50' }], total: '25.00' },
    ]);
  });

  it('sorts the keys of every record', () => {
    const product = world().joor.products['STY-001'];
    expect(Object.keys(product)).toEqual([...Object.keys(product)].sort());
  });

  it('keeps two records of one natural key apart', () => {
    const raw = rawWorld();
    raw.joor.skus.push({ ...raw.joor.skus[0], id: 99, external_id: 'amc-sku-99' });
    raw.amc.orders.push({ ...raw.amc.orders[0], order_id: '502' });
    const state = world(raw);
    expect(state.joor.skus['STY-001/Red/M#2']).toMatchObject({ external_id: 'amc-sku-99' });
    expect(amcOrderCountsByJoorId(state)).toEqual(new Map([['9001', 2]]));
  });
});

describe('diffWorldStates', () => {
  it('finds two equal states equal', () => {
    expect(diffWorldStates(world(), world())).toEqual({ equal: true, count: 0, lines: [] });
  });

  it('ignores sandbox ids, timestamps and the AMC port', () => {
    const other = world(rawWorld(1000, '2026-02-02T10:00:00.000Z', 'http://localhost:5999'), 'http://localhost:5999');
    expect(diffWorldStates(world(), other)).toEqual({ equal: true, count: 0, lines: [] });
  });

  it('reports a missing and an extra record', () => {
    const raw = rawWorld();
    raw.joor.skus[1] = { ...raw.joor.skus[1], trait_values: [raw.joor.skus[1].trait_values[0], { trait_id: 1002, value: 'XL' }] };
    const diff = diffWorldStates(world(), world(raw));
    // The SKU's price follows it to its new key.
    expect(diff.count).toBe(4);
    expect(diff.lines).toEqual(['joor.skus "STY-001/Red/L": missing', 'joor.skus "STY-001/Red/XL": extra', 'joor.prices "STY-001/Red/L@1": missing', 'joor.prices "STY-001/Red/XL@1": extra']);
  });

  it('names a changed field with both values', () => {
    const raw = rawWorld();
    raw.joor.prices[0].wholesale_value = '12.00';
    raw.joor.orders[0].export_status = 'Failed';
    const diff = diffWorldStates(world(), world(raw));
    expect(diff.lines).toEqual(['joor.prices "STY-001/Red/M@1": wholesale_value "12.50" != "12.00"', 'joor.orders "9001": export_status "Success" != "Failed"']);
    expect(diff.equal).toBe(false);
  });

  it('reports a duplicate of a natural key and a duplicate AMC order', () => {
    const raw = rawWorld();
    raw.joor.skus.push({ ...raw.joor.skus[0], id: 99 });
    raw.amc.orders.push({ ...raw.amc.orders[0], order_id: '502' });
    expect(diffWorldStates(world(), world(raw)).lines).toEqual(['joor.skus "STY-001/Red/M#2": extra', 'amc.orders "9001": count 1 != 2']);
  });

  it('shows a changed membership as what a list lacks and has extra', () => {
    const raw = rawWorld();
    raw.joor.collections[0].items = [];
    expect(diffWorldStates(world(), world(raw)).lines).toEqual(['joor.collections "amc-season-FW26": products lacks "STY-001"']);
  });

  it('keeps to the limit and says how many more', () => {
    const raw = rawWorld();
    raw.joor.connections = [];
    raw.joor.orders = [];
    raw.amc.orders = [];
    const diff = diffWorldStates(world(), world(raw), 2);
    expect(diff.count).toBe(3);
    expect(diff.lines).toEqual(['joor.customers "C1": missing', 'joor.orders "9001": missing', '... and 1 more']);
  });
});
