import { lineAmount, mdy, validateOrderShape } from './amc-order.validator';

describe('validateOrderShape', () => {
  it('normalises a well-formed order', () => {
    const result = validateOrderShape({ header: { customer_id: 12, date: '1/5/2026', notes: null }, items: [{ sku_id: 7, qty: '2', unit_price: 10.5 }] });
    expect(result).toEqual({ errors: [], order: { header: { customer_id: '12', date: '1/5/2026' }, items: [{ sku_id: '7', qty: 2, unit_price: '10.5', amount: undefined }] } });
  });

  it('collects every shape error', () => {
    expect(validateOrderShape({}).errors).toEqual(['header is required']);
    expect(validateOrderShape({ header: { date_due: '2026-01-05' }, items: [] }).errors).toEqual([
      'header.customer_id is required',
      'header.date_due must be a date as m/d/Y',
      'items must list at least one item',
    ]);
    expect(validateOrderShape({ header: { customer_id: '1' }, items: [{ qty: 1.5, unit_price: 'ten' }] }).errors).toEqual([
      'items[0].sku_id is required',
      'items[0].qty must be a positive whole number',
      'items[0].unit_price must be a decimal number',
    ]);
  });
});

describe('lineAmount / mdy', () => {
  it('multiplies in decimal, not binary floating point', () => {
    expect(lineAmount(3, '0.10')).toBe('0.30');
    expect(lineAmount(7, '19.99')).toBe('139.93');
  });

  it('writes dates as AMC does (m/d/Y, zero-padded)', () => {
    expect(mdy(new Date('2026-03-04T23:00:00Z'))).toBe('03/04/2026');
  });
});
