import { failureDescription, isOnOrAfterStart, mapJoorOrder, skuKeyOf, toMdy, type JoorOrderInput, type OrderMappingContext } from './joor-order.mapper';

const order = (over: Partial<JoorOrderInput> = {}): JoorOrderInput => ({
  order_id: '5000001',
  order_currency: 'EUR',
  order_total: '0.30',
  order_season_code: 'SS27',
  order_delivery_code: 'SS27-D1',
  date_created: '2026-10-02T10:11:12Z',
  date_ship_start: '2026-12-01',
  date_ship_end: '2026-12-31',
  customer_code: 'JC-1001',
  customer_purchase_order: 'PO-123456',
  line_items: [
    { item_number: 'TO10001', item_style_identifier: 'TO10001', item_color_code: 'BLK', item_upc: '840120000017', item_size: 'S', item_price: '0.10', item_quantity: 2 },
    { item_number: 'TO10001', item_style_identifier: 'TO10001', item_color_code: 'BLK', item_upc: '840120000024', item_size: 'M', item_price: '0.10', item_quantity: 0 },
    { item_number: 'TO10001', item_style_identifier: 'TO10001', item_color_code: 'BLK', item_upc: '840120000031', item_size: 'L', item_price: '0.1', item_quantity: 1 },
  ],
  ...over,
});

const ctx = (over: Partial<OrderMappingContext> = {}): OrderMappingContext => ({
  customer: { customer_id: '7', ship_to_id: '70' },
  currencyIdByCode: new Map([
    ['USD', '1'],
    ['EUR', '2'],
  ]),
  skus: [
    { sku_id: '11', active: true },
    { sku_id: '12', active: true },
    { sku_id: '13', active: true },
  ],
  warehouseId: '1',
  divisionId: '3',
  creditStatus: 'OK',
  ...over,
});

describe('mapJoorOrder', () => {
  it('maps header, ship window, PO, currency and the settings, and prices as on JOOR in decimal', () => {
    const result = mapJoorOrder(order(), ctx());
    expect(result).toEqual({
      ok: true,
      total: '0.30',
      order: {
        header: {
          customer_id: '7',
          joor_id: '5000001',
          source: 'JOOR',
          notes: 'JOOR order 5000001, delivery SS27-D1',
          currency_id: '2',
          date: '10/02/2026',
          date_start: '12/01/2026',
          date_due: '12/31/2026',
          customer_po: 'PO-123456',
          season: 'SS27',
          warehouse_id: '1',
          division_id: '3',
          credit_status: 'OK',
          ship_to_id: '70',
        },
        // the quantity-0 line is left out; 0.1 + 0.2 is 0.30, not 0.30000000000000004
        items: [
          { sku_id: '11', qty: 2, unit_price: '0.10', amount: '0.20' },
          { sku_id: '13', qty: 1, unit_price: '0.10', amount: '0.10' },
        ],
      },
    });
  });

  it('leaves unset settings off the header', () => {
    const result = mapJoorOrder(order(), ctx({ warehouseId: null, divisionId: null, creditStatus: null, customer: { customer_id: '7', ship_to_id: null } }));
    if (!result.ok) throw new Error('expected a mapping');
    expect(result.order.header).not.toHaveProperty('warehouse_id');
    expect(result.order.header).not.toHaveProperty('division_id');
    expect(result.order.header).not.toHaveProperty('credit_status');
    expect(result.order.header).not.toHaveProperty('ship_to_id');
  });

  it('names every problem: unknown customer, unknown and inactive SKUs, unknown currency', () => {
    const result = mapJoorOrder(order({ order_currency: 'JPY' }), ctx({ customer: null, skus: [null, null, { sku_id: '13', active: false }] }));
    expect(result).toEqual({
      ok: false,
      problems: [
        'unknown customer: no AMC customer carries JOOR customer code "JC-1001"',
        'unknown currency: AMC has no currency JPY',
        'unknown SKU: UPC 840120000017, TO10001 / BLK / S is not in AMC',
        'inactive SKU: AMC SKU 13 (UPC 840120000031, TO10001 / BLK / L) is inactive',
      ],
    });
  });

  it('refuses an order whose lines are all of quantity 0, and bad quantities or prices', () => {
    const zero = order({ line_items: [{ ...order().line_items[1] }] });
    expect(mapJoorOrder(zero, ctx({ skus: [{ sku_id: '12', active: true }] }))).toEqual({ ok: false, problems: ['the order has no line with a quantity'] });
    const bad = order({
      line_items: [
        { ...order().line_items[0], item_quantity: 1.5 },
        { ...order().line_items[0], item_price: '-1.00' },
      ],
    });
    const result = mapJoorOrder(bad, ctx());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toHaveLength(2);
  });
});

describe('order helpers', () => {
  it('keys a line by UPC and style / color / size, blanks as null', () => {
    expect(skuKeyOf({ item_number: 'A1', item_style_identifier: ' ', item_color_code: 'RED', item_upc: '', item_size: 'M', item_price: '1', item_quantity: 1 })).toEqual({
      upc: null,
      styleNumber: 'A1',
      styleNumbers: ['A1'],
      colorCode: 'RED',
      colorName: null,
      size: 'M',
    });
  });

  it('finds the style of a colorway sent as its own product (identifier <style>-<color code>)', () => {
    const key = skuKeyOf({
      item_number: 'TO10001-blk',
      item_style_identifier: 'TO10001-BLK',
      item_color_code: 'BLK',
      item_color: 'Black',
      item_upc: null,
      item_size: 'S',
      item_price: '1',
      item_quantity: 1,
    });
    expect(key.styleNumbers).toEqual(['TO10001-BLK', 'TO10001', 'TO10001-blk']);
    expect(key.colorName).toBe('Black');
  });

  it('prices each line as qty x the unit price rounded to cents', () => {
    const lines = [
      { ...order().line_items[0], item_price: '10.005', item_quantity: 3 },
      { ...order().line_items[2], item_price: '0.333', item_quantity: 3 },
    ];
    const result = mapJoorOrder(
      order({ line_items: lines }),
      ctx({
        skus: [
          { sku_id: '11', active: true },
          { sku_id: '13', active: true },
        ],
      }),
    );
    if (!result.ok) throw new Error('expected a mapping');
    // 10.005 rounds to 10.01 (x3 = 30.03, not 30.015 -> 30.02); 0.333 to 0.33 (x3 = 0.99, not 1.00).
    expect(result.order.items.map((i) => [i.unit_price, i.amount])).toEqual([
      ['10.01', '30.03'],
      ['0.33', '0.99'],
    ]);
    expect(result.total).toBe('31.02');
  });

  it('writes AMC dates as m/d/Y without a time-zone shift', () => {
    expect(toMdy('2026-01-31T23:59:59Z')).toBe('01/31/2026');
    expect(toMdy('2026-12-01')).toBe('12/01/2026');
    expect(toMdy(null)).toBeNull();
    expect(toMdy('soon')).toBeNull();
  });

  it('compares the order date with the start date by day', () => {
    expect(isOnOrAfterStart('2026-07-04T00:00:00Z', '2026-07-04')).toBe(true);
    expect(isOnOrAfterStart('2026-07-03T23:59:59Z', '2026-07-04')).toBe(false);
    expect(isOnOrAfterStart('2026-07-03T23:59:59Z', null)).toBe(true);
  });

  it('cuts a failure description to the 255 characters JOOR keeps', () => {
    expect(failureDescription(['x'.repeat(400)])).toHaveLength(255);
    expect(failureDescription(['unknown customer'])).toBe('Not exported to ApparelMagic: unknown customer');
  });
});
