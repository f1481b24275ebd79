import { decodeBodyIds, decodeId, decodeQueryIds, encodeId, encodeIds, numbersAsText, wrapList, wrapV2 } from './joor-dialect';
import { toId } from './joor-envelope';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('opaque ids', () => {
  it('encodes base64 of <Type>:<n>, and the two traits exactly as JOOR-s', () => {
    expect(encodeId('Product', 42)).toBe(b64('Product:42'));
    expect(encodeId('Order', '5000001')).toBe(encodeId('Order', 5000001));
    expect(encodeId('SKUTrait', 1001)).toBe('U0tVVHJhaXQ6U3R5bGVDb2xvcg==');
    expect(encodeId('SKUTrait', '1002')).toBe('U0tVVHJhaXQ6U2l6ZQ==');
    expect(Buffer.from('U0tVVHJhaXQ6U3R5bGVDb2xvcg==', 'base64').toString()).toBe('SKUTrait:StyleColor');
  });

  it('decodes only its own canonical form of the expected type', () => {
    expect(decodeId('Product', encodeId('Product', 42))).toBe('42');
    expect(decodeId('SKUTrait', 'U0tVVHJhaXQ6U2l6ZQ==')).toBe('1002');
    expect([42, '42', '', null, encodeId('SKU', 42), b64('Product:'), 'UHJvZHVjdDo0Mg', '%%%'].map((raw) => decodeId('Product', raw))).toEqual([null, null, null, null, null, null, null, null]);
    expect(decodeId('SKUTrait', 1001)).toBeNull();
  });
});

describe('ids at the edge', () => {
  it('decodes a bulk body by field name; an id that is no opaque id of its type stays unusable for the services', () => {
    const body = [
      { id: encodeId('SKU', 7), product_id: encodeId('Product', 3), trait_values: [{ trait_id: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', value: 'Navy' }], product_trait_values: [{ id: 'kept' }] },
      { id: 7, product_id: '3', trait_values: [{ trait_id: 1001, value: 'Navy' }] },
    ];
    const [good, numeric] = decodeBodyIds('/v4/skus/bulk_update', body) as Array<Record<string, any>>;
    expect(good).toEqual({ id: '7', product_id: '3', trait_values: [{ trait_id: '1001', value: 'Navy' }], product_trait_values: [{ id: 'kept' }] });
    expect([toId(numeric.id), toId(numeric.product_id), toId(numeric.trait_values[0].trait_id)]).toEqual([null, null, null]);
  });

  it('decodes asset products, collection items and sku_ids', () => {
    expect(decodeBodyIds('/v4/assets/products', [{ product: { id: encodeId('Product', 9) }, asset: { filename: 'a.png' } }])).toEqual([{ product: { id: '9' }, asset: { filename: 'a.png' } }]);
    expect(
      decodeBodyIds('/v4/collections/bulk_create', [
        { name: 'x', season_id: encodeId('Season', 2), items: [{ product_id: encodeId('Product', 9), sku_ids: [encodeId('SKU', 1), encodeId('SKU', 2)] }] },
      ]),
    ).toEqual([{ name: 'x', season_id: '2', items: [{ product_id: '9', sku_ids: ['1', '2'] }] }]);
  });

  it('decodes id query parameters entry by entry, by the route-s type for ids', () => {
    expect(decodeQueryIds('/v4/products', { ids: `${encodeId('Product', 1)},${encodeId('Product', 2)}`, account: '7' })).toEqual({ ids: '1,2', account: '7' });
    expect(decodeQueryIds('/v4/prices', { sku_ids: encodeId('SKU', 4), price_type_id: encodeId('PriceType', 1) })).toEqual({ sku_ids: '4', price_type_id: '1' });
    expect(toId(String(decodeQueryIds('/v4/orders', { ids: '5000001' }).ids))).toBeNull();
  });

  it('encodes records, item error details and nested ids of an answer; leaves client data alone', () => {
    const answer = {
      data: [
        {
          id: 5,
          product_id: 3,
          trait_values: [
            { trait_id: '1001', value: 'Navy' },
            { trait_id: 1002, value: 'M' },
          ],
          product_trait_values: [{ id: 1 }],
          order_number: '5000001',
        },
      ],
      errors: [{ status: 'DUPLICATED', message: 'exists', details: { index: 1, id: 6, field: 'product_id' } }],
      meta: { total: 2, limit: 100, offset: 0 },
    };
    expect(encodeIds('/v4/skus', answer)).toEqual({
      data: [
        {
          id: encodeId('SKU', 5),
          product_id: encodeId('Product', 3),
          trait_values: [
            { trait_id: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', value: 'Navy' },
            { trait_id: 'U0tVVHJhaXQ6U2l6ZQ==', value: 'M' },
          ],
          product_trait_values: [{ id: 1 }],
          order_number: '5000001',
        },
      ],
      errors: [{ status: 'DUPLICATED', message: 'exists', details: { index: 1, id: encodeId('SKU', 6), field: 'product_id' } }],
      meta: { total: 2, limit: 100, offset: 0 },
    });
    expect(encodeIds('/v2/order/', { orders: [{ order_id: '5000001', line_items: [{ item_upc: '1' }] }], total_count: 1 })).toEqual({
      orders: [{ order_id: encodeId('Order', 5000001), line_items: [{ item_upc: '1' }] }],
      total_count: 1,
    });
    expect(encodeIds('/v4/orders/bulk_update', { data: [{ id: 5000001 }], errors: [] })).toEqual({ data: [{ id: encodeId('Order', '5000001') }], errors: [] });
  });
});

describe('wrapped v2', () => {
  it('wrapList: none "", one unwrapped, more wrapped', () => {
    expect([wrapList([], 'order'), wrapList([1], 'order'), wrapList([1, 2], 'order')]).toEqual(['', { order: 1 }, { order: [1, 2] }]);
  });

  it('numbersAsText: every number, however deep; the rest as it was', () => {
    expect(numbersAsText({ a: 1, b: [2.5, 'x', null, true], c: { d: 0 } })).toEqual({ a: '1', b: ['2.5', 'x', null, true], c: { d: '0' } });
  });

  it('shapes the feed, inventory, connection answers and lookups', () => {
    const order = (id: string, lines: unknown[]) => ({ order_id: id, order_total: '10.00', line_items: lines });
    expect(wrapV2('/v2/order/', { orders: [order('1', [{ item_quantity: 2 }]), order('2', [{ item_quantity: 1 }, { item_quantity: 3 }])], start_from: 0, count: 2, total_count: 2 })).toEqual({
      orders: { order: [order('1', { line_item: { item_quantity: '2' } } as never), order('2', { line_item: [{ item_quantity: '1' }, { item_quantity: '3' }] } as never)] },
      start_from: '0',
      count: '2',
      total_count: '2',
    });
    expect(wrapV2('/v2/order', { orders: [order('1', [])], start_from: 0, count: 1, total_count: 1 })).toEqual({
      orders: { order: order('1', '' as never) },
      start_from: '0',
      count: '1',
      total_count: '1',
    });
    expect(wrapV2('/v2/order/', { orders: [], start_from: 0, count: 0, total_count: 0 })).toEqual({ orders: '', start_from: '0', count: '0', total_count: '0' });
    expect(wrapV2('/v2/bulk-inventory', { sku_count: 1, inventory_log: [{ sku: 'x', inventory_log_id: 9, status: 'Success' }] })).toEqual({
      sku_count: '1',
      inventory_log: { inventory_log_item: { sku: 'x', inventory_log_id: '9', status: 'Success' } },
    });
    expect(wrapV2('/v2/bulk-connection', { job_status: 'queued', connection_log: [{ customer_code: 'A' }, { customer_code: 'B' }] })).toEqual({
      job_status: 'queued',
      connection_log: { connection: [{ customer_code: 'A' }, { customer_code: 'B' }] },
    });
    expect(wrapV2('/v2/connection/customer_code/A/', { connection: { customer_code: 'A', credit_limit: 500 } })).toEqual({ connections: { connection: { customer_code: 'A', credit_limit: '500' } } });
  });
});
