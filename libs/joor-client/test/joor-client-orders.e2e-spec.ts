import { clientFixture, type ClientFixture } from './joor-client.fixture';

type StateOrder = { order_id: string; order_status: string; date_modified: string; export_status: string | null; customer_code: string };

describe('JoorClient orders, inventory and customers', () => {
  let fx: ClientFixture;
  let warehouse: string;

  beforeAll(async () => {
    fx = await clientFixture('orders');
    warehouse = (await fx.sb.seed({ styles: 5, seed: 11, orders: 45 })).warehouses[0];
  });
  afterAll(() => fx?.close());

  const state = async () => (await fx.sb.control('GET', 'state/orders')) as StateOrder[];

  it('reads the feed with sync=0 only, page by page, so reading never marks an order exported', async () => {
    await fx.sb.control('DELETE', 'calls');
    const client = fx.client({ priority: 'orders' });
    const all = await client.orderFeed({ orderType: 8, count: 10 });
    expect(all.invalid).toEqual([]);
    expect(all.items).toHaveLength(45);
    expect(new Set(all.items.map((o) => o.order_id)).size).toBe(45);
    const calls = (await fx.sb.control('GET', 'calls?path=/v2/order')).calls as Array<{ query: string }>;
    expect(calls).toHaveLength(5);
    expect(calls.every((c) => /(^|&)sync=0(&|$)/.test(c.query))).toBe(true);
    expect(calls.map((c) => new URLSearchParams(c.query).get('start_from'))).toEqual(['0', '10', '20', '30', '40']);
    expect((await state()).every((o) => o.export_status === null)).toBe(true);
    const first = all.items[0];
    expect(first.order_total).toMatch(/^\d+\.\d{2}$/);
    expect(first.line_items[0]).toEqual(expect.objectContaining({ item_quantity: expect.any(Number), item_price: expect.stringMatching(/^\d+\.\d{2}$/) }));
  });

  it('filters by order type, export status and modified dates', async () => {
    const client = fx.client({ priority: 'orders' });
    const seeded = await state();
    const approved = await client.orderFeed({ orderType: 6 });
    expect(approved.items.length).toBe(seeded.filter((o) => o.order_status === 'Approved').length);
    expect(approved.items.every((o) => o.order_status === 'Approved')).toBe(true);
    const sorted = seeded.map((o) => o.date_modified).sort();
    const ranged = await client.orderFeed({ orderType: 8, dateStart: sorted[5], dateEnd: sorted[14] });
    expect(ranged.items).toHaveLength(10);

    const [a, b] = approved.items;
    const marked = await client.updateOrderExportStatus([
      { id: a.order_id, export_status: 'Success', export_description: 'AMC SO-77' },
      { id: b.order_id, export_status: 'Failed', export_description: 'Customer not found in AMC' },
    ]);
    expect(marked.failed).toEqual([]);
    expect(marked.ok.map((o) => o.record?.export_status)).toEqual(['Success', 'Failed']);
    expect((await client.orderFeed({ orderType: 8, exportStatus: 3 })).items.map((o) => o.order_id)).toEqual([a.order_id]);
    const notYet = (await client.orderFeed({ orderType: 8, exportStatus: 2 })).items.map((o) => o.order_id);
    expect(notYet).toContain(b.order_id);
    expect(notYet).not.toContain(a.order_id);
    expect((await client.orderFeed({ orderType: 8, exportStatus: 6 })).items.map((o) => o.order_id)).not.toContain(b.order_id);
    await fx.sb.control('POST', `orders/${a.order_id}/modify`, { customer_purchase_order: 'PO-NEW' });
    expect((await client.orderFeed({ orderType: 8, exportStatus: 4 })).items.map((o) => [o.order_id, o.customer_purchase_order])).toEqual([[a.order_id, 'PO-NEW']]);
    const lines = await client.orderLineItems([a.order_id]);
    expect(lines.items.length).toBe(approved.items[0].line_items.length);
  });

  it('sends inventory by style so overwrite mode never zeroes a style split across calls', async () => {
    const client = fx.client({ priority: 'inventory', inventoryBatch: 4 });
    const traits = (await client.traits()).items;
    const [color, size] = ['Color', 'Size'].map((name) => traits.find((t) => t.name === name)!.id);
    const products = await client.createProducts(['INV-A', 'INV-B'].map((s) => ({ name: s, external_id: s, product_identifier: s })));
    for (const p of products.ok) {
      const skus = await client.createSkus(
        ['S', 'M', 'L'].map((s) => ({
          product_id: p.id,
          external_id: `${p.input.external_id}-${s}`,
          trait_values: [
            { trait_id: color, value: 'Ecru', external_id: 'ECR' },
            { trait_id: size, value: s },
          ],
        })),
      );
      expect(skus.failed).toEqual([]);
    }
    const rows = ['INV-A', 'INV-B'].flatMap((style) =>
      ['S', 'M', 'L'].map((s, i) => ({ warehouse, inventory_date: 'IMMEDIATE', style_identifier: style, color_code: 'ECR', size: s, inventory: 10 + i })),
    );
    const responses = await client.bulkInventory(rows, { overwrite: true });
    // 6 rows at 4 per call: cut at the style boundary (3 + 3), never 4 + 2.
    expect(responses.map((r) => r.sku_count)).toEqual([3, 3]);
    const stock = (await fx.sb.control('GET', `state/inventory?warehouse=${encodeURIComponent(warehouse)}`)) as Array<{ quantity: number }>;
    expect(stock.map((r) => r.quantity)).toEqual([10, 11, 12, 10, 11, 12]);
  });

  it('sends customers; a new one stays pending (null on lookup) until JOOR processes it', async () => {
    const client = fx.client({ priority: 'customers' });
    const log = await client.bulkConnections([{ customer_code: 'AMC-C-900', customer_name: 'Maison Neuve', customer_contact_email: 'achats@maison-neuve.example' }]);
    expect(log.connection_log).toEqual([expect.objectContaining({ customer_code: 'AMC-C-900', status: 'Pending' })]);
    expect(await client.connectionByCode('AMC-C-900')).toBeNull();
    await fx.sb.control('POST', 'connections/process', {});
    expect(await client.connectionByCode('AMC-C-900')).toEqual(expect.objectContaining({ customer_name: 'Maison Neuve', connection_status: 'Connected' }));
  });
});
