import { allocate } from './amc-stock.service';

describe('allocate', () => {
  const row = { qty_inventory: 10, qty_avail_sell: 8, qty_alloc: 0, qty_avail_alloc: 10, qty_open_sales: 2, qty_open_po: 0, qty_in_transit: 0 };

  it('puts the quantity on open sales and lowers available to sell', () => {
    expect(allocate(row, 3)).toEqual({ qty_open_sales: 5, qty_avail_sell: 5 });
  });

  it('never shows less than zero available', () => {
    expect(allocate(row, 20)).toEqual({ qty_open_sales: 22, qty_avail_sell: 0 });
  });
});
