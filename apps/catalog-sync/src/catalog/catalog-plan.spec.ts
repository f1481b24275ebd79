import { chooseMode, deltaSince, parseShape, shapeChanges } from '@app/sync-core';
import { ratesOf, type CatalogShape } from './catalog-plan';

const shape = (over: Partial<CatalogShape> = {}): CatalogShape => ({
  rates: { EUR: '0.92', USD: '1' },
  baseCurrency: 'USD',
  defaultCurrency: 'USD',
  colorwaysAsProducts: false,
  traitIds: { color: 'c', size: 's' },
  priceTypes: [{ id: '1', name: 'WHOLESALE USD', currency_code: 'USD' }],
  ...over,
});

describe('catalog plan', () => {
  it('names what changed in the shape', () => {
    const before = JSON.parse(JSON.stringify(shape())) as Record<string, unknown>;
    expect(shapeChanges(before, shape())).toEqual([]);
    expect(shapeChanges(before, shape({ colorwaysAsProducts: true, rates: { EUR: '0.5', USD: '1' } }))).toEqual(['rates', 'colorwaysAsProducts']);
    expect(shapeChanges(null, shape())).toEqual([]);
  });

  it('reads named styles, everything on a first run or a new shape, else the delta', () => {
    const base = { styleNumbers: [], full: false, cursor: '2026-11-01T00:00:00Z', previousShape: {}, changes: [] };
    expect(chooseMode(base)).toBe('delta');
    expect(chooseMode({ ...base, styleNumbers: ['A'] })).toBe('styles');
    expect(chooseMode({ ...base, full: true })).toBe('full');
    expect(chooseMode({ ...base, cursor: null })).toBe('full');
    expect(chooseMode({ ...base, previousShape: null })).toBe('full');
    expect(chooseMode({ ...base, changes: ['rates'] })).toBe('full');
  });

  it('reads the delta from the cursor minus the overlap, in AMC time format', () => {
    expect(deltaSince('2026-11-01T00:10:00.000Z', 600_000)).toBe('2026-11-01T00:00:00Z');
    expect(deltaSince(null, 600_000)).toBeNull();
    expect(parseShape('not json')).toBeNull();
    expect(parseShape('[1]')).toBeNull();
    expect(
      ratesOf([
        { name: 'USD', rate: '1' },
        { name: 'EUR', rate: '0.9' },
      ]),
    ).toEqual({ EUR: '0.9', USD: '1' });
  });
});
