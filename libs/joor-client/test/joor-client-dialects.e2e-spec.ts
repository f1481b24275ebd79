import { joorSandboxIds as ids, JoorRaw } from '@app/testing/joor-sandbox-harness';
import { JoorApiError, type JoorClient, type JoorSkuInput } from '../src';
import { clientFixture, type ClientFixture } from './joor-client.fixture';

type StateOrder = { order_id: string; order_status: string; export_status: string | null; export_description: string | null };
type StateSku = { id: number; product_id: number; trait_values: Array<{ trait_id: unknown; value: string }> };
type StatePrice = { id: number; retail_value: string | null; wholesale_value: string };

const DIGITS = /^\d+$/;
/** Every one of `values` is an opaque id of that type (never digits). */
const allOpaque = (type: Parameters<typeof ids.internal>[0], values: string[]) => values.length > 0 && values.every((id) => !DIGITS.test(id) && ids.internal(type, id) !== null);

/**
 * The client against a JOOR whose ids are opaque strings and whose v2 answers are XML-born
 * (lists wrapped, a list of one unwrapped, numbers as text): the forms an independently built
 * JOOR showed, where every catalog run and every order poll of the old client failed.
 */
describe('JoorClient against opaque ids and wrapped v2 answers', () => {
  let fx: ClientFixture;
  let client: JoorClient;
  let raw: JoorRaw;
  let warehouse: string;

  beforeAll(async () => {
    fx = await clientFixture('dialects', { JOOR_SANDBOX_ID_STYLE: 'opaque', JOOR_SANDBOX_V2_ENVELOPE: 'wrapped', JOOR_SANDBOX_BULK_MAX: '5' });
    warehouse = (await fx.sb.seed({ styles: 5, seed: 23, orders: 21 })).warehouses[0];
    client = fx.client();
    raw = new JoorRaw(fx.sb);
  });
  afterAll(() => fx?.close());

  describe('catalog (v4) with opaque ids', () => {
    let color: string;
    let size: string;
    let productIds: string[];
    let skuIds: string[];

    it('lists the traits with JOOR-s opaque ids (the color one named "Style Color")', async () => {
      const traits = await client.traits();
      expect(traits.invalid).toEqual([]);
      expect(traits.items).toEqual([
        { id: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', name: 'Style Color' },
        { id: 'U0tVVHJhaXQ6U2l6ZQ==', name: 'Size' },
      ]);
      [color, size] = traits.items.map((t) => t.id);
    });

    it('creates products over several calls and reads back opaque ids, then lists them by those ids', async () => {
      const inputs = Array.from({ length: 7 }, (_, i) => ({ name: `Opaque ${i}`, external_id: `OP-${i}`, product_identifier: `OP-${i}`, description: 'Linen' }));
      const created = await client.createProducts(inputs);
      expect(created.failed).toEqual([]);
      productIds = created.ok.map((o) => o.id);
      expect(allOpaque('Product', productIds)).toBe(true);
      const listed = await client.listProducts({ ids: productIds });
      expect(listed.invalid).toEqual([]);
      expect(listed.items.map((p) => p.id).sort()).toEqual([...productIds].sort());
      // The sandbox takes only its opaque form back: a client that turned ids into numbers fails.
      const numeric = String(ids.internal('Product', productIds[0]));
      const refused = (await client.listProducts({ ids: [numeric] }).catch((err: unknown) => err)) as JoorApiError;
      expect(refused).toBeInstanceOf(JoorApiError);
      expect(refused.httpStatus).toBe(400);
    });

    it('re-creating a product resolves DUPLICATED to the existing opaque id', async () => {
      const again = await client.createProducts([{ name: 'Opaque 0', external_id: 'OP-0', product_identifier: 'OP-0' }]);
      expect(again.ok).toEqual([expect.objectContaining({ index: 0, duplicated: true, id: productIds[0] })]);
    });

    it('updates a product by its opaque id; description "" clears it, an absent one keeps it', async () => {
      const updated = await client.updateProducts([
        { id: productIds[0], description: '' },
        { id: productIds[1], name: 'Renamed' },
        { id: ids.opaque('Product', 999999), name: 'Ghost' },
      ]);
      expect(updated.ok.map((o) => [o.index, o.id, o.record?.description])).toEqual([
        [0, productIds[0], ''],
        [1, productIds[1], 'Linen'],
      ]);
      expect(updated.failed).toEqual([expect.objectContaining({ index: 2, status: 'NOT_FOUND' })]);
    });

    it('creates SKUs with the opaque trait ids, lists them by product, and resolves a DUPLICATED SKU to its opaque id', async () => {
      const skus: JoorSkuInput[] = ['S', 'M', 'L'].map((s, i) => ({
        product_id: productIds[0],
        external_id: `OP-0-NAV-${s}`,
        trait_values: [
          { trait_id: color, value: 'Navy', external_id: 'NAV' },
          { trait_id: size, value: s },
        ],
        identifiers: [{ type: 'upc', value: `84099000000${i}` }],
      }));
      const created = await client.createSkus(skus);
      expect(created.failed).toEqual([]);
      skuIds = created.ok.map((o) => o.id);
      expect(allOpaque('SKU', skuIds)).toBe(true);
      expect(created.ok[0].record?.product_id).toBe(productIds[0]);
      expect(created.ok[0].record?.trait_values.map((t) => t.trait_id)).toEqual([color, size]);

      const listed = await client.listSkus({ productIds: [productIds[0]] });
      expect(listed.items.map((s) => s.id).sort()).toEqual([...skuIds].sort());

      // Same color + size under another external id: JOOR answers DUPLICATED with the existing SKU's id.
      const dup = await client.createSkus([{ ...skus[1], external_id: 'OP-0-OTHER-M' }]);
      expect(dup.ok).toEqual([expect.objectContaining({ duplicated: true, id: skuIds[1] })]);
      // Trait ids turned into numbers are not JOOR's ids.
      const numericTraits = await client.createSkus([
        {
          ...skus[0],
          external_id: 'OP-0-NUM',
          trait_values: [
            { trait_id: 1001, value: 'Navy' },
            { trait_id: 1002, value: 'XS' },
          ],
        },
      ]);
      expect(numericTraits.failed).toEqual([expect.objectContaining({ status: 'INVALID', message: expect.stringContaining('unknown trait_id') })]);
    });

    it('renames a SKU-s color through bulk_update with opaque ids; a clash on color + size is DUPLICATED with the other SKU-s opaque id', async () => {
      const renamed = await client.updateSkus([{ id: skuIds[2], trait_values: [{ trait_id: color, value: 'Midnight', external_id: 'MID' }] }]);
      expect(renamed.failed).toEqual([]);
      expect(renamed.ok[0].record?.trait_values).toEqual([
        { trait_id: color, value: 'Midnight', external_id: 'MID' },
        { trait_id: size, value: 'L', external_id: null },
      ]);
      const clash = await client.updateSkus([{ id: skuIds[0], trait_values: [{ trait_id: size, value: 'M' }] }]);
      expect(clash.failed).toEqual([expect.objectContaining({ status: 'DUPLICATED', details: expect.objectContaining({ id: skuIds[1] }) })]);
      const state = (await fx.sb.control('GET', 'state/skus')) as StateSku[];
      expect(state.find((s) => s.id === ids.internal('SKU', skuIds[2]))?.trait_values.map((t) => t.value)).toEqual(['Midnight', 'L']);
    });

    it('creates, lists and updates prices with opaque SKU, price type and price ids; retail_value null clears the retail value', async () => {
      const priceTypes = (await client.priceTypes()).items;
      const usd = priceTypes.find((t) => t.currency_code === 'USD')!;
      expect(allOpaque('PriceType', [usd.id])).toBe(true);
      const created = await client.createPrices(skuIds.map((sku_id) => ({ sku_id, price_type_id: usd.id, wholesale_value: '40.00', retail_value: '95.00' })));
      expect(created.failed).toEqual([]);
      expect(created.ok.every((o) => o.record?.price_type_id === usd.id && o.record.sku_id === skuIds[o.index])).toBe(true);
      const priceIds = created.ok.map((o) => o.id);
      const dup = await client.createPrices([{ sku_id: skuIds[0], price_type_id: usd.id, wholesale_value: '41.00' }]);
      expect(dup.ok).toEqual([expect.objectContaining({ duplicated: true, id: priceIds[0] })]);

      const updated = await client.updatePrices([
        { id: priceIds[0], wholesale_value: '42.00', retail_value: null },
        { id: priceIds[1], wholesale_value: '43.00' },
      ]);
      expect(updated.ok.map((o) => [o.record?.wholesale_value, o.record?.retail_value])).toEqual([
        ['42.00', null],
        ['43.00', '95.00'],
      ]);
      const listed = await client.listPrices({ skuIds });
      expect(listed.items.map((p) => [p.id, p.retail_value]).sort()).toEqual(
        [
          [priceIds[0], null],
          [priceIds[1], '95.00'],
          [priceIds[2], '95.00'],
        ].sort(),
      );
      const state = (await fx.sb.control('GET', 'state/prices')) as StatePrice[];
      expect(allOpaque('Price', priceIds)).toBe(true);
      expect(state.find((p) => p.id === ids.internal('Price', priceIds[0]))?.retail_value).toBeNull();
    });

    it('makes a linesheet with an opaque season and opaque SKU ids', async () => {
      const season = (await client.seasons()).items[0];
      const created = await client.createCollections([{ name: 'Opaque SS27', external_id: 'LS-OP', season_id: season.id, items: [{ product_id: productIds[0], sku_ids: skuIds.slice(0, 2) }] }]);
      expect(created.failed).toEqual([]);
      expect(created.ok[0].record).toEqual(expect.objectContaining({ season_id: season.id, items: [expect.objectContaining({ product_id: productIds[0], sku_ids: skuIds.slice(0, 2) })] }));
    });
  });

  describe('orders: the wrapped v2 feed and v4 export status', () => {
    const state = async () => (await fx.sb.control('GET', 'state/orders')) as StateOrder[];

    it('reads and pages a feed of many orders (the last page holds one, unwrapped), with opaque order ids', async () => {
      await fx.sb.control('DELETE', 'calls');
      const all = await client.orderFeed({ orderType: 8, count: 5 });
      expect(all.invalid).toEqual([]);
      expect(all.items).toHaveLength(21);
      const orderIds = all.items.map((o) => o.order_id);
      expect(new Set(orderIds).size).toBe(21);
      expect(allOpaque('Order', orderIds)).toBe(true);
      expect(orderIds.map((id) => String(ids.internal('Order', id))).sort()).toEqual((await state()).map((o) => o.order_id).sort());
      // 21 orders by 5: five pages, the fifth of one order.
      const calls = (await fx.sb.control('GET', 'calls?path=/v2/order')).calls as Array<{ query: string }>;
      expect(calls.map((c) => new URLSearchParams(c.query).get('start_from'))).toEqual(['0', '5', '10', '15', '20']);
      const lastPage = await raw.v2('GET', '/order/', undefined, { sync: '0', order_type: '8', start_from: '20', count: '5' });
      expect(Array.isArray(lastPage.body.orders.order)).toBe(false);
      expect(lastPage.body.total_count).toBe('21');
      const first = all.items[0];
      expect(first.order_total).toMatch(/^\d+\.\d{2}$/);
      expect(first.line_items.length).toBeGreaterThan(0);
      expect(first.line_items[0]).toEqual(expect.objectContaining({ item_quantity: expect.any(Number), item_price: expect.stringMatching(/^\d+\.\d{2}$/) }));
    });

    it('reads a feed of exactly one order ({orders: {order: {...}}}) by its opaque id, and of none ({orders: ""})', async () => {
      const [someone] = (await client.orderFeed({ orderType: 8, count: 1 })).items;
      const answer = await raw.v2('GET', '/order/', undefined, { sync: '0', order_type: '8', order_id: someone.order_id });
      expect(answer.body.orders.order).toEqual(expect.objectContaining({ order_id: someone.order_id }));
      const one = await client.orderFeedPage({ orderType: 8, orderId: someone.order_id });
      expect(one.items.map((o) => o.order_id)).toEqual([someone.order_id]);
      expect(one.total).toBe(1);
      expect(one.items[0].line_items).toEqual(someone.line_items);

      expect((await raw.v2('GET', '/order/', undefined, { sync: '0', customer_code: 'NOBODY' })).body.orders).toBe('');
      const none = await client.orderFeedPage({ orderType: 8, customerCode: 'NOBODY' });
      expect(none).toEqual({ items: [], invalid: [], startFrom: 0, total: 0 });
      expect((await client.orderFeed({ orderType: 8, customerCode: 'NOBODY' })).items).toEqual([]);
    });

    it('writes the export status back through v4 with the opaque order id, and the feed and v4 both show it', async () => {
      const approved = (await client.orderFeed({ orderType: 6 })).items;
      const [a, b] = approved;
      const marked = await client.updateOrderExportStatus([
        { id: a.order_id, export_status: 'Success', export_description: 'AMC SO-12' },
        { id: b.order_id, export_status: 'Failed', export_description: 'Customer not found in AMC' },
        { id: String(ids.internal('Order', a.order_id)), export_status: 'Success' },
      ]);
      expect(marked.ok.map((o) => [o.id, o.record?.export_status])).toEqual([
        [a.order_id, 'Success'],
        [b.order_id, 'Failed'],
      ]);
      // The order's number, as digits, is not its id.
      expect(marked.failed).toEqual([expect.objectContaining({ index: 2, status: 'INVALID' })]);
      expect((await client.orderFeed({ orderType: 8, exportStatus: 3 })).items.map((o) => o.order_id)).toEqual([a.order_id]);
      const v4 = await client.listOrders({ ids: [a.order_id, b.order_id] });
      expect(v4.items.map((o) => [o.id, o.export_status]).sort()).toEqual(
        [
          [a.order_id, 'Success'],
          [b.order_id, 'Failed'],
        ].sort(),
      );
      const inState = (await state()).find((o) => o.order_id === String(ids.internal('Order', b.order_id)));
      expect(inState).toEqual(expect.objectContaining({ export_status: 'Failed', export_description: 'Customer not found in AMC' }));
      const lines = await client.orderLineItems([a.order_id]);
      expect(lines.items.length).toBe(a.line_items.length);
      expect(lines.items.every((l) => l.order_id === a.order_id)).toBe(true);
    });
  });

  describe('inventory and customers (v2, wrapped)', () => {
    it('reads bulk-inventory answers of many entries and of one, with opaque log ids', async () => {
      const inv = fx.client({ priority: 'inventory', inventoryBatch: 3 });
      const rows = ['S', 'M', 'L'].map((s, i) => ({ warehouse, inventory_date: 'IMMEDIATE', style_identifier: 'OP-0', color_code: s === 'L' ? 'MID' : 'NAV', size: s, inventory: 5 + i }));
      const [many] = await inv.bulkInventory(rows, { overwrite: true });
      expect(many.sku_count).toBe(3);
      expect(many.inventory_log.map((l) => l.status)).toEqual(['Success', 'Success', 'Success']);
      expect(
        allOpaque(
          'InventoryLog',
          many.inventory_log.map((l) => l.inventory_log_id ?? ''),
        ),
      ).toBe(true);
      const single = await raw.v2('POST', '/bulk-inventory', { inventory_items: { inventory_item: [{ ...rows[0], inventory: 9 }] } }, { overwrite: '0' });
      expect(single.body).toEqual({ sku_count: '1', inventory_log: { inventory_log_item: expect.objectContaining({ status: 'Success' }) } });
      const [one] = await inv.bulkInventory([{ ...rows[0], inventory: 9 }], { overwrite: false });
      expect(one).toEqual({ sku_count: 1, inventory_log: [expect.objectContaining({ sku: expect.any(String), status: 'Success' })] });
      const stock = (await fx.sb.control('GET', `state/inventory?warehouse=${encodeURIComponent(warehouse)}`)) as Array<{ size: string; quantity: number }>;
      expect(Object.fromEntries(stock.map((r) => [r.size, r.quantity]))).toEqual({ S: 9, M: 6, L: 7 });
    });

    it('reads bulk-connection answers and the connection lookup ({connections: {connection: {...}}})', async () => {
      const cust = fx.client({ priority: 'customers' });
      const log = await cust.bulkConnections([
        { customer_code: 'OP-C-1', customer_name: 'Maison Opaque' },
        { customer_code: 'OP-C-2', customer_name: 'Atelier Wrapped' },
      ]);
      expect(log).toEqual({
        job_status: 'queued',
        connection_log: [expect.objectContaining({ customer_code: 'OP-C-1', status: 'Pending' }), expect.objectContaining({ customer_code: 'OP-C-2', status: 'Pending' })],
      });
      const single = await cust.bulkConnections([{ customer_code: 'OP-C-3', customer_name: 'Solo' }]);
      expect(single.connection_log).toEqual([expect.objectContaining({ customer_code: 'OP-C-3', status: 'Pending' })]);
      expect(await cust.connectionByCode('OP-C-1')).toBeNull();
      await fx.sb.control('POST', 'connections/process', { customer_codes: ['OP-C-1'] });
      const found = await raw.v2('GET', '/connection/customer_code/OP-C-1/');
      expect(found.body).toEqual({ connections: { connection: expect.objectContaining({ customer_code: 'OP-C-1' }) } });
      expect(await cust.connectionByCode('OP-C-1')).toEqual(expect.objectContaining({ customer_code: 'OP-C-1', customer_name: 'Maison Opaque', connection_status: 'Connected' }));
    });
  });
});
