import { JoorRaw, startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';

type StateOrder = { order_id: string; order_status: string; date_modified: string; export_status: string | null; customer_code: string; line_items: unknown[] };

describe('JOOR sandbox order feed (v2) and export status (v4)', () => {
  let sb: JoorSandboxHarness;
  let raw: JoorRaw;
  let seeded: StateOrder[];

  const feed = async (query: Record<string, string>) => {
    const answer = await raw.v2('GET', '/order/', undefined, query);
    expect(answer.status).toBe(200);
    return answer.body as { orders: StateOrder[]; start_from: number; count: number; total_count: number };
  };
  const state = async () => (await sb.control('GET', 'state/orders')) as StateOrder[];

  beforeAll(async () => {
    sb = await startJoorSandbox('orderfeed');
  });
  afterAll(() => sb?.close());

  beforeEach(async () => {
    await sb.seed({ styles: 5, seed: 7, orders: 60 });
    raw = new JoorRaw(sb);
    seeded = await state();
  });

  it('filters by order_type (2 default = Approved+Shipped, 6 Approved, 7 Shipped, 8 all) and pages with start_from/count', async () => {
    const count = (statuses: string[]) => seeded.filter((o) => statuses.includes(o.order_status)).length;
    expect((await feed({ sync: '0', count: '500' })).total_count).toBe(count(['Approved', 'Shipped']));
    expect((await feed({ sync: '0', order_type: '6', count: '500' })).orders.every((o) => o.order_status === 'Approved')).toBe(true);
    expect((await feed({ sync: '0', order_type: '7', count: '500' })).total_count).toBe(count(['Shipped']));
    const all = await feed({ sync: '0', order_type: '8', count: '500' });
    expect(all.total_count).toBe(60);
    const pages: string[] = [];
    for (let start = 0; start < 60; start += 25) pages.push(...(await feed({ sync: '0', order_type: '8', start_from: String(start), count: '25' })).orders.map((o) => o.order_id));
    expect(pages).toEqual(all.orders.map((o) => o.order_id));
    // JOOR's default page is 50.
    expect((await feed({ sync: '0', order_type: '8' })).orders).toHaveLength(50);
    expect((await raw.v2('GET', '/order/', undefined, { order_type: '3' })).status).toBe(400);
  });

  it('filters on the modified date (date_start/date_end), customer_code and order_id', async () => {
    const sorted = [...seeded].sort((a, b) => a.date_modified.localeCompare(b.date_modified));
    const start = sorted[10].date_modified;
    const end = sorted[20].date_modified;
    const inRange = seeded.filter((o) => o.date_modified >= start && o.date_modified <= end);
    const got = await feed({ sync: '0', order_type: '8', date_start: start, date_end: end, count: '500' });
    expect(got.orders.map((o) => o.order_id).sort()).toEqual(inRange.map((o) => o.order_id).sort());
    const customer = seeded[0].customer_code;
    expect((await feed({ sync: '0', order_type: '8', customer_code: customer, count: '500' })).orders.every((o) => o.customer_code === customer)).toBe(true);
    expect((await feed({ sync: '0', order_type: '8', order_id: seeded[3].order_id })).orders.map((o) => o.order_id)).toEqual([seeded[3].order_id]);
  });

  it('sync=1 (the default) returns only never-requested orders and marks them exported on read; sync=0 leaves them alone', async () => {
    await feed({ sync: '0', order_type: '8', count: '500' });
    expect((await state()).every((o) => o.export_status === null)).toBe(true);
    const first = await feed({ order_type: '8', count: '10' });
    expect(first.orders).toHaveLength(10);
    const marked = (await state()).filter((o) => o.export_status === 'Success').map((o) => o.order_id);
    expect(marked.sort()).toEqual(first.orders.map((o) => o.order_id).sort());
    const second = await feed({ order_type: '8', count: '10' });
    expect(second.orders.map((o) => o.order_id).some((id) => marked.includes(id))).toBe(false);
  });

  it('export_status filters follow v4 export updates and buyer modifications (2, 3, 4, 5, 6, 7)', async () => {
    const [a, b, c] = seeded.filter((o) => ['Approved', 'Shipped'].includes(o.order_status));
    const update = await raw.v4('POST', '/orders/bulk_update', [
      { id: Number(a.order_id), export_status: 'Success', export_description: 'AMC order 1001' },
      { id: Number(b.order_id), export_status: 'Failed', export_description: 'Unknown SKU 84099000001' },
      { id: Number(c.order_id), export_status: 'Success' },
      { id: 999999999, export_status: 'Success' },
      { id: Number(a.order_id), export_status: 'Done' },
    ]);
    expect(update.status).toBe(200);
    expect(update.body.data.map((o: { id: number; export_status: string; exported_on: string }) => [o.id, o.export_status, typeof o.exported_on])).toEqual([
      [Number(a.order_id), 'Success', 'string'],
      [Number(b.order_id), 'Failed', 'string'],
      [Number(c.order_id), 'Success', 'string'],
    ]);
    expect(update.body.errors.map((e: { status: string; details: { index: number } }) => [e.status, e.details.index])).toEqual([
      ['NOT_FOUND', 3],
      ['INVALID', 4],
    ]);
    await sb.control('POST', `orders/${c.order_id}/modify`, { customer_purchase_order: 'PO-CHANGED' });
    const ids = async (exportStatus: string) => (await feed({ sync: '0', export_status: exportStatus, count: '500' })).orders.map((o) => o.order_id);
    expect(await ids('3')).toEqual(expect.arrayContaining([a.order_id, c.order_id]));
    expect(await ids('4')).toEqual([c.order_id]);
    const notExported = await ids('2');
    expect(notExported).toContain(b.order_id);
    expect(notExported).not.toContain(a.order_id);
    expect(await ids('5')).toEqual(expect.arrayContaining([b.order_id, c.order_id]));
    expect(await ids('6')).not.toContain(b.order_id);
    const seven = await ids('7');
    expect(seven).toContain(c.order_id);
    expect(seven).not.toContain(b.order_id);

    const v4 = await raw.v4('GET', '/orders', undefined, { ids: `${a.order_id},${b.order_id}` });
    expect(v4.body.data.find((o: { id: number }) => o.id === Number(b.order_id)).export_description).toBe('Unknown SKU 84099000001');
  });

  it('serves the line items of orders through v4 sku_line_items', async () => {
    const order = seeded.find((o) => o.line_items.length > 0)!;
    const answer = await raw.v4('GET', '/orders/sku_line_items', undefined, { order_ids: order.order_id });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(order.line_items.length);
    expect(answer.body.data[0]).toEqual(expect.objectContaining({ order_id: Number(order.order_id), quantity: expect.any(Number), price: expect.stringMatching(/^\d+\.\d{2}$/) }));
  });
});
