import { parseAmcTimestamp, validateAmcRecord, validateAmcRecords } from './amc-records.validator';

const sku = {
  sku_id: '12',
  product_id: '1001',
  style_number: 'ST-1',
  attr_2: 'Navy',
  size: 'M',
  size_position: '3',
  upc_display: '012345678905',
  price: '40.00',
  retail_price: '95.00',
  active: '1',
  joor_sync: '1',
  qty_inventory: '12',
  qty_avail_sell: '10.0000',
  qty_alloc: '2',
  qty_avail_alloc: '10',
  qty_open_sales: '2',
  qty_open_po: '0',
  qty_in_transit: '0',
  last_modified_time: '2026-10-01 12:00:00',
  attr_3: 'ignored',
};

describe('validateAmcRecord', () => {
  it('normalises AMC strings: quantities to numbers, money stays decimal text, timestamps to ISO', () => {
    const result = validateAmcRecord('inventory', sku);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record).toMatchObject({ sku_id: '12', qty_inventory: 12, qty_avail_sell: 10, size_position: 3, price: '40.00', last_modified_time: '2026-10-01T12:00:00Z' });
    expect(result.record).not.toHaveProperty('attr_3');
  });

  it('accepts numbers where AMC usually sends strings', () => {
    const result = validateAmcRecord('inventory', { ...sku, sku_id: 12, qty_inventory: 5, price: 40 });
    expect(result.ok && result.record).toMatchObject({ sku_id: '12', qty_inventory: 5, price: '40' });
  });

  it('reports a record missing required fields with its id and every problem', () => {
    const { sku_id: _omit, ...noId } = sku;
    expect(validateAmcRecord('inventory', noId)).toEqual({ ok: false, invalid: { resource: 'inventory', id: null, problems: ['sku_id is missing'] } });
    const bad = validateAmcRecord('inventory', { ...sku, qty_inventory: 'lots', price: '4O.00', active: 'yes' });
    expect(bad).toEqual({
      ok: false,
      invalid: {
        resource: 'inventory',
        id: '12',
        problems: ['price must be a decimal number, got "4O.00"', 'active must be 0 or 1', 'qty_inventory must be a whole number, got "lots"'],
      },
    });
  });

  it('checks nested lists and fills optional fields with defaults', () => {
    const product = { product_id: '1001', style_number: 'ST-1', price: '10.00', joor_sync: '1', last_modified_time: '2026-10-01T00:00:00Z', price_groups: [{ id: '1', currency_id: '2', price: 'x' }] };
    const bad = validateAmcRecord('products', product);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.invalid.problems).toEqual(['price_groups[0].price must be a decimal number, got "x"']);
    const good = validateAmcRecord('products', { ...product, price_groups: [] });
    expect(good.ok && good.record).toMatchObject({ description: '', retail_price: null, images: [], price_groups: [] });
  });

  it('reads a blank optional number (no MSRP) as absent, and still refuses a blank required one', () => {
    const product = { product_id: '1001', style_number: 'ST-1', price: '10.00', retail_price: '', joor_sync: '1', last_modified_time: '2026-10-01T00:00:00Z', price_groups: [] };
    const read = validateAmcRecord('products', product);
    expect(read.ok && read.record).toMatchObject({ retail_price: null });
    const noPrice = validateAmcRecord('products', { ...product, price: '' });
    expect(!noPrice.ok && noPrice.invalid.problems).toEqual(['price must be a decimal number, got ""']);
  });

  it('turns size_01..size_30 into an ordered list of sizes', () => {
    const result = validateAmcRecord('size_ranges', { id: '1', name: 'ALPHA', size_01: 'S', size_02: 'M', size_03: 'L', size_04: '', size_30: '' });
    expect(result.ok && result.record).toEqual({ id: '1', name: 'ALPHA', sizes: ['S', 'M', 'L'] });
  });

  it('splits a page into good records and reports', () => {
    const { records, invalid } = validateAmcRecords('warehouses', [{ id: '1', name: 'Main' }, { id: '2' }, 'junk']);
    expect(records).toEqual([{ id: '1', name: 'Main' }]);
    expect(invalid.map((i) => [i.id, i.problems])).toEqual([
      ['2', ['name is missing']],
      [null, ['record must be an object']],
    ]);
  });
});

describe('parseAmcTimestamp', () => {
  it('reads ISO and space-separated UTC and refuses anything else', () => {
    expect(parseAmcTimestamp('2022-12-01T14:32:16Z')).toBe('2022-12-01T14:32:16Z');
    expect(parseAmcTimestamp('2022-12-01 14:32:16')).toBe('2022-12-01T14:32:16Z');
    expect(parseAmcTimestamp('2022-12-01T16:32:16+02:00')).toBe('2022-12-01T14:32:16Z');
    expect(parseAmcTimestamp('12/01/2022')).toBeNull();
    expect(parseAmcTimestamp('2022-13-45T99:00:00Z')).toBeNull();
  });
});
