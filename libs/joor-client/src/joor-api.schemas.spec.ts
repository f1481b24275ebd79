import type { JoorOrderInput } from '@app/mapping';
import {
  collectionSchema,
  connectionLogSchema,
  connectionOf,
  feedOrderAddress,
  feedOrderSchema,
  inventoryResponseSchema,
  itemErrorSchema,
  joorId,
  normaliseJoorId,
  optionalJoorId,
  readConnectionJob,
  priceSchema,
  readOrderFeed,
  readV4Envelope,
  skuSchema,
  tokenSchema,
} from './joor-api.schemas';

const COLOR = 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==';
const SIZE = 'U0tVVHJhaXQ6U2l6ZQ==';

describe('joorId: opaque, read as a string', () => {
  it.each([
    [COLOR, COLOR],
    ['UHJvZHVjdDo0Mg==', 'UHJvZHVjdDo0Mg=='],
    ['abc-123_x', 'abc-123_x'],
    ['0042', '0042'],
    ['  SKU:7 ', 'SKU:7'],
    [42, '42'],
    ['42', '42'],
  ])('%j -> %j', (raw, id) => expect(joorId.parse(raw)).toBe(id));

  it.each([[''], ['   '], [null], [undefined], [0], [-3], [1.5], [true], [{}], [[1]]])('refuses %j', (raw) => expect(joorId.safeParse(raw).success).toBe(false));

  it('optionalJoorId and normaliseJoorId: a missing id is null, never a throw', () => {
    expect([undefined, null, '', {}, 'T3JkZXI6MQ=='].map((raw) => optionalJoorId.parse(raw))).toEqual([null, null, null, null, 'T3JkZXI6MQ==']);
    expect([COLOR, 7, '', -1, { id: 1 }].map(normaliseJoorId)).toEqual([COLOR, '7', null, null, null]);
  });

  it('keeps opaque ids as they are in every record (never digits only, never numbers)', () => {
    const sku = skuSchema.parse({
      id: 'U0tVOjE=',
      product_id: 'UHJvZHVjdDox',
      status: 'ACTIVE',
      trait_values: [
        { trait_id: COLOR, value: 'Navy', external_id: 'NAV' },
        { trait_id: SIZE, value: 'M' },
      ],
    });
    expect(sku).toEqual(
      expect.objectContaining({
        id: 'U0tVOjE=',
        product_id: 'UHJvZHVjdDox',
        trait_values: [
          { trait_id: COLOR, value: 'Navy', external_id: 'NAV' },
          { trait_id: SIZE, value: 'M', external_id: null },
        ],
      }),
    );
    const price = priceSchema.parse({ id: 'UHJpY2U6OQ==', sku_id: 'U0tVOjE=', price_type_id: 'UHJpY2VUeXBlOjE=', wholesale_value: 40, retail_value: '' });
    expect(price).toEqual(expect.objectContaining({ id: 'UHJpY2U6OQ==', price_type_id: 'UHJpY2VUeXBlOjE=', wholesale_value: '40.00', retail_value: null }));
    const collection = collectionSchema.parse({
      id: 'Q29sbGVjdGlvbjox',
      name: 'SS27',
      season_id: 'U2Vhc29uOjI=',
      created_by_api: true,
      items: [{ product_id: 'UHJvZHVjdDox', order_number: '1', sku_ids: ['U0tVOjE=', 'U0tVOjI='] }],
    });
    expect(collection.items).toEqual([{ product_id: 'UHJvZHVjdDox', order_number: 1, sku_ids: ['U0tVOjE=', 'U0tVOjI='] }]);
    expect(collection.season_id).toBe('U2Vhc29uOjI=');
  });
});

describe('v4 envelope', () => {
  it('reads data as an array, one object, null or absent, and meta numbers as text', () => {
    expect(readV4Envelope({ data: [{ id: 'a' }, { id: 'b' }], errors: [] })?.data).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(readV4Envelope({ data: { id: 'a' }, errors: null })).toEqual({ data: [{ id: 'a' }], errors: [], meta: { total: null, limit: null, offset: null } });
    expect(readV4Envelope({ data: null, errors: [{ status: 'INVALID' }] })).toEqual({ data: [], errors: [{ status: 'INVALID' }], meta: { total: null, limit: null, offset: null } });
    expect(readV4Envelope({ errors: { status: 'NOT_FOUND' } })?.errors).toEqual([{ status: 'NOT_FOUND' }]);
    expect(readV4Envelope({ data: [], meta: { total: '120', limit: '500', offset: '0' } })?.meta).toEqual({ total: 120, limit: 500, offset: 0 });
    expect(readV4Envelope({ data: [], meta: { total: 3, limit: 100, offset: 0 } })?.meta).toEqual({ total: 3, limit: 100, offset: 0 });
    expect(readV4Envelope([{ id: 'a' }])?.data).toEqual([{ id: 'a' }]);
    expect(readV4Envelope('<html>')).toBeNull();
  });

  it('item errors: DUPLICATED details keep the opaque id, a missing message reads as empty', () => {
    expect(itemErrorSchema.parse({ status: 'DUPLICATED', details: { index: 0, id: 'UHJvZHVjdDox' } })).toEqual({ status: 'DUPLICATED', message: '', details: { index: 0, id: 'UHJvZHVjdDox' } });
    expect(itemErrorSchema.parse({ status: 'INVALID', message: 'bad', details: 'oops' }).details).toEqual({});
  });
});

describe('v2 order feed', () => {
  const order = (n: number, extra: Record<string, unknown> = {}) => ({
    order_id: `T3JkZXI6${n}`,
    order_currency: 'USD',
    order_total: '120.00',
    date_modified: '2026-10-01T10:00:00.000Z',
    customer_code: 'JC-1',
    line_items: [{ item_upc: '840120000017', item_price: '60.00', item_quantity: 2 }],
    ...extra,
  });

  it.each([
    ['orders as an array', { orders: [order(1), order(2)], total_count: 2 }, 2],
    ['orders.order as an array', { orders: { order: [order(1), order(2)] }, total_count: '2' }, 2],
    ['orders.order as one object', { orders: { order: order(1) }, total_count: '1' }, 1],
    ['order at the top as one object', { order: order(1) }, 1],
    ['order at the top as an array', { order: [order(1), order(2)] }, 2],
    ['a bare array', [order(1), order(2)], 2],
    ['orders as one object', { orders: order(1) }, 1],
    ['orders: ""', { orders: '', total_count: '0' }, 0],
    ['orders: null', { orders: null, total_count: 0 }, 0],
    ['orders: {}', { orders: {}, total_count: 0 }, 0],
    ['no list beside the paging numbers', { start_from: '0', count: '0', total_count: '0' }, 0],
  ])('reads %s', (_, body, n) => {
    const feed = readOrderFeed(body);
    expect(feed?.orders).toHaveLength(n);
    expect(feed!.orders.every((raw) => feedOrderSchema.safeParse(raw).success)).toBe(true);
  });

  it('reads the paging numbers from numbers or text, and refuses an answer with no list at all', () => {
    expect(readOrderFeed({ orders: '', start_from: '50', count: '0', total_count: '50' })).toEqual({ orders: [], startFrom: 50, count: 0, total: 50 });
    expect(readOrderFeed({ orders: [], total_count: 7 })?.total).toBe(7);
    expect(readOrderFeed({ message: 'maintenance' })).toBeNull();
    expect(readOrderFeed('nope')).toBeNull();
  });

  it('reads an order with the fields public readers show, numbers as text, lines in every form', () => {
    const parsed = feedOrderSchema.parse({
      ...order(7),
      order_id: 5000123,
      order_total: '1234.50',
      order_type: 4,
      order_type_name: 'Approved',
      customer_code: 1001,
      customer_name: 'Maison Neuve',
      customer_purchase_order: 778,
      shipping_city: 'Lyon',
      shipping_address_3: 'Bât. C',
      billing_zip: 69001,
      warehouse_name: 'Main',
      order_discount: '10.00',
      order_shipping_total: 0,
      some_future_field: { anything: true },
      line_items: {
        line_item: {
          item_style_id: 'U3R5bGU6OQ==',
          item_color: 'Navy',
          item_color_code: 'NAV',
          item_size: 'M',
          item_size_code: 'M',
          item_upc: 840120000017,
          item_unit_price: '61.70',
          item_quantity: '3',
        },
      },
    });
    expect(parsed).toEqual(
      expect.objectContaining({
        order_id: '5000123',
        order_type: '4',
        order_type_name: 'Approved',
        customer_code: '1001',
        customer_name: 'Maison Neuve',
        customer_purchase_order: '778',
        order_discount: '10.00',
        order_shipping_total: '0.00',
        order_season_code: null,
        some_future_field: { anything: true },
      }),
    );
    expect(parsed.line_items).toEqual([
      expect.objectContaining({ item_style_id: 'U3R5bGU6OQ==', item_color: 'Navy', item_size_code: 'M', item_upc: '840120000017', item_price: '61.70', item_unit_price: '61.70', item_quantity: 3 }),
    ]);
    // Compile-time as well: a feed order is what the order mapping reads.
    const forMapping: JoorOrderInput = parsed;
    expect(forMapping.line_items[0].item_price).toBe('61.70');
    expect(feedOrderAddress(parsed, 'shipping')).toEqual({ city: 'Lyon', address_3: 'Bât. C' });
    expect(feedOrderAddress(parsed, 'billing')).toEqual({ zip: '69001' });
  });

  it.each([
    [
      'line_items as {line_item: [...]}',
      {
        line_item: [
          { item_price: '1.00', item_quantity: 1 },
          { item_price: '2.00', item_quantity: '2' },
        ],
      },
      2,
    ],
    ['line_items as one object', { item_price: '1.00', item_quantity: 1 }, 1],
    ['line_items empty', '', 0],
    ['line_items absent', undefined, 0],
  ])('reads %s', (_, lineItems, n) => expect(feedOrderSchema.parse({ ...order(1), line_items: lineItems }).line_items).toHaveLength(n));

  it('keeps item_price when both prices are there; a line with neither fails the record, naming the field', () => {
    const both = feedOrderSchema.parse({ ...order(1), line_items: [{ item_price: '50.00', item_unit_price: '55.00', item_quantity: 1 }] });
    expect(both.line_items[0]).toEqual(expect.objectContaining({ item_price: '50.00', item_unit_price: '55.00' }));
    const neither = feedOrderSchema.safeParse({ ...order(1), line_items: [{ item_quantity: 1 }] });
    expect(neither.success).toBe(false);
    expect(neither.error!.issues[0]).toEqual(expect.objectContaining({ path: ['line_items', 0, 'item_price'], message: 'item_price or item_unit_price is required' }));
  });

  it('refuses an order without an id or with a blank one', () => {
    expect(feedOrderSchema.safeParse({ ...order(1), order_id: '' }).success).toBe(false);
    expect(feedOrderSchema.safeParse({ ...order(1), order_id: undefined }).success).toBe(false);
  });
});

describe('v2 inventory, connections and lookups', () => {
  const entry = (sku: string, id: unknown) => ({ sku, inventory_log_id: id, status: 'Success' });

  it.each([
    ['an array', [entry('A', 1), entry('B', 2)]],
    ['{inventory_log_item: [...]}', { inventory_log_item: [entry('A', '1'), entry('B', '2')] }],
    ['{item: [...]}', { item: [entry('A', 1), entry('B', 2)] }],
    ['{inventory_log: [...]}', { inventory_log: [entry('A', 1), entry('B', 2)] }],
  ])('reads inventory_log as %s', (_, log) => {
    const parsed = inventoryResponseSchema.parse({ sku_count: '2', inventory_log: log });
    expect(parsed).toEqual({
      sku_count: 2,
      inventory_log: [
        { sku: 'A', inventory_log_id: '1', status: 'Success' },
        { sku: 'B', inventory_log_id: '2', status: 'Success' },
      ],
    });
  });

  it('reads a single unwrapped inventory log entry, an opaque log id, and an empty log', () => {
    expect(inventoryResponseSchema.parse({ sku_count: 1, inventory_log: { inventory_log_item: entry('A', 'SW52TG9nOjE=') } }).inventory_log).toEqual([
      { sku: 'A', inventory_log_id: 'SW52TG9nOjE=', status: 'Success' },
    ]);
    expect(inventoryResponseSchema.parse({ sku_count: '0', inventory_log: '' }).inventory_log).toEqual([]);
    expect(inventoryResponseSchema.parse({ sku_count: 1, inventory_log: entry('A', null) }).inventory_log).toEqual([{ sku: 'A', inventory_log_id: null, status: 'Success' }]);
  });

  it.each([
    ['an array', [{ customer_code: 'C-1', status: 'Pending', message: 'new' }]],
    ['{connection: [...]}', { connection: [{ customer_code: 'C-1', status: 'Pending', message: 'new' }] }],
    ['{connection: {...}}', { connection: { customer_code: 'C-1', status: 'Pending', message: 'new' } }],
    ['one entry', { customer_code: 'C-1', status: 'Pending', message: 'new' }],
  ])('reads connection_log as %s', (_, log) => {
    expect(connectionLogSchema.parse({ job_status: 'queued', connection_log: log })).toEqual({ job_status: 'queued', connection_log: [{ customer_code: 'C-1', status: 'Pending', message: 'new' }] });
  });

  it('a connection log entry without a code or message still reads', () => {
    expect(connectionLogSchema.parse({ connection_log: { connection: { customer_code: '', status: 'Error' } } }).connection_log).toEqual([{ customer_code: null, status: 'Error', message: '' }]);
  });

  it.each([
    ['job_id', { job_status: 'queued', job_id: 'Sm9iOjc=' }, 'Sm9iOjc='],
    ['job_id as a number', { job_status: 'queued', job_id: 7 }, '7'],
    ['jobId', { job_status: 'queued', jobId: '7' }, '7'],
    ['{job: {id, status}}', { job: { id: '7', status: 'queued' } }, '7'],
    ['id', { job_status: 'queued', id: '7' }, '7'],
  ])('reads a bulk-connection answer that carries only its job (%s)', (_, body, id) => {
    expect(readConnectionJob(body)).toEqual({ ok: true, job: { job_status: 'queued', job_id: id, connection_log: [] } });
  });

  it('reads a bulk-connection answer with its log inline and no job id; refuses one that is no object', () => {
    expect(readConnectionJob({ job_status: 'queued', connection_log: { connection: { customer_code: 'C-1', status: 'Updated', message: '' } } })).toEqual({
      ok: true,
      job: { job_status: 'queued', job_id: null, connection_log: [{ customer_code: 'C-1', status: 'Updated', message: '' }] },
    });
    expect(readConnectionJob('queued').ok).toBe(false);
  });

  const record = { customer_code: 'C-1', customer_name: 'Shop', connection_status: 'Connected' };
  it.each([
    ['{connection: {...}}', { connection: record }],
    ['{connections: {connection: {...}}}', { connections: { connection: record } }],
    ['{connections: [...]}', { connections: [record] }],
    ['{connections: {connection: [...]}}', { connections: { connection: [record] } }],
    ['the bare record', record],
  ])('finds the connection record in %s', (_, body) => expect(connectionOf(body)).toEqual(record));

  it('finds no connection record in an empty answer', () => {
    expect([{ connections: '' }, { connections: [] }, { connection: null }, ''].map(connectionOf)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('token answer', () => {
  it('reads expires_in from a number or numeric text and refuses zero', () => {
    expect(tokenSchema.parse({ access_token: 't', expires_in: '36000', token_type: 'Bearer', refresh_expires_in: '100' })).toEqual(
      expect.objectContaining({ expires_in: 36000, refresh_expires_in: 100 }),
    );
    expect(tokenSchema.safeParse({ access_token: 't', expires_in: 0, token_type: 'Bearer' }).success).toBe(false);
  });
});
