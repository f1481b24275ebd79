import { mapStock } from './inventory.mapper';

const identity = { style: 'TO10001', styleNumber: 'TO10001', colorCode: 'NAV', size: 'M', upc: '840120000017' };

describe('mapStock', () => {
  it('names the SKU every way JOOR matches on, as immediate inventory in the JOOR warehouse', () => {
    const out = mapStock('11', identity, 7, 'Main Warehouse');
    expect(out).toEqual({
      ok: true,
      row: { warehouse: 'Main Warehouse', inventory_date: 'IMMEDIATE', style_identifier: 'TO10001', style_number: 'TO10001', color_code: 'NAV', size: 'M', upc: '840120000017', inventory: 7 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      warning: null,
    });
  });

  it('sends a negative quantity as 0, with a warning', () => {
    const out = mapStock('11', identity, -3, 'Main Warehouse');
    expect(out.ok && [out.row.inventory, out.warning]).toEqual([0, 'SKU 11 has -3 in stock in AMC; JOOR is sent 0']);
  });

  it('changes its hash with the quantity, the warehouse or the SKU, not otherwise', () => {
    const hash = (q: number, w = 'Main Warehouse', i = identity) => {
      const out = mapStock('11', i, q, w);
      return out.ok ? out.hash : '';
    };
    expect(hash(5)).toBe(hash(5));
    expect(hash(5)).not.toBe(hash(6));
    expect(hash(5)).not.toBe(hash(5, 'Showroom'));
    expect(hash(5)).not.toBe(hash(5, 'Main Warehouse', { ...identity, size: 'L' }));
  });

  it('takes a SKU without a UPC by style, color and size; refuses one with neither', () => {
    const noUpc = mapStock('12', { ...identity, upc: '' }, 1, 'W');
    expect(noUpc.ok && noUpc.row).not.toHaveProperty('upc');
    expect(mapStock('13', { upc: null, style: 'TO1', colorCode: null, size: 'M' }, 1, 'W')).toEqual({ ok: false, problem: expect.stringMatching(/neither a UPC nor a style, color and size/) });
    expect(mapStock('14', null, 1, 'W').ok).toBe(false);
  });
});
