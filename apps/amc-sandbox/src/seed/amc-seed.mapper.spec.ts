import { generateBrand } from '@app/sandbox-seed';
import { amcStrings, brandToRecords } from './amc-seed.mapper';

describe('amcStrings', () => {
  it('turns numbers and booleans into AMC strings, deeply', () => {
    expect(amcStrings({ a: 1, b: [2, { c: true }], d: 'x', e: null })).toEqual({ a: '1', b: ['2', { c: '1' }], d: 'x', e: null });
  });
});

describe('brandToRecords', () => {
  const brand = generateBrand({ styles: 3, seed: 5 });
  const records = brandToRecords(brand.amc, brand.options.now);

  it('gives every resource its records, one per seeded row', () => {
    const count = (resource: string) => records.filter((r) => r.resource === resource).length;
    expect(count('products')).toBe(brand.amc.products.length);
    expect(count('inventory')).toBe(brand.amc.skus.length);
    expect(count('sku_warehouse')).toBe(brand.amc.skuWarehouse.length);
    expect(count('size_ranges')).toBe(brand.amc.sizeRanges.length);
    expect(count('customers')).toBe(brand.amc.customers.length);
  });

  it('serves quantities as strings, size ranges as size_NN columns, every record stamped', () => {
    const sku = records.find((r) => r.resource === 'inventory')!;
    expect(typeof sku.data.qty_inventory).toBe('string');
    const range = records.find((r) => r.resource === 'size_ranges')!;
    expect(range.data).toHaveProperty('size_01', brand.amc.sizeRanges[0].sizes[0]);
    expect(range.data).toHaveProperty('size_30');
    expect(records.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(r.data.last_modified_time)))).toBe(true);
    const rows = records.filter((r) => r.resource === 'sku_warehouse');
    expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => String(i + 1)));
  });
});
