import { createHash } from 'crypto';
import Decimal from 'decimal.js';
import { generateBrand, resolveSeedOptions } from './brand.generator';
import type { AmcProduct, AmcSku, BadStyleProblem, Brand, JoorOrder, JoorOrderStatus } from './brand.model';
import { isValidUpcA } from './upc';

const DECIMAL = /^-?\d+\.\d{2}$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function sha256(brand: Brand): string {
  return createHash('sha256').update(JSON.stringify(brand)).digest('hex');
}

function share(part: number, whole: number): number {
  return part / whole;
}

describe('generateBrand', () => {
  // One medium brand shared by the distribution checks: big enough for the shares to settle.
  const brand = generateBrand({ styles: 1500, seed: 20261127, customers: 600, orders: 400 });
  const skusByUpc = new Map<string, AmcSku[]>();
  for (const sku of brand.amc.skus) skusByUpc.set(sku.upc_display, [...(skusByUpc.get(sku.upc_display) ?? []), sku]);
  const badIds = new Set(brand.expectations.badStyles.map((b) => b.product_id));

  describe('determinism', () => {
    it('gives the same brand byte for byte for the same options, and another for another seed', () => {
      const options = { styles: 120, seed: 99 };
      const first = JSON.stringify(generateBrand(options));
      expect(JSON.stringify(generateBrand(options))).toBe(first);
      expect(JSON.stringify(generateBrand({ ...options, seed: 100 }))).not.toBe(first);
    });

    it('keeps the catalog when only the order or customer count changes', () => {
      const base = generateBrand({ styles: 60, seed: 5, customers: 30, orders: 40 });
      const moreOrders = generateBrand({ styles: 60, seed: 5, customers: 30, orders: 90 });
      const moreCustomers = generateBrand({ styles: 60, seed: 5, customers: 80, orders: 40 });
      expect(moreOrders.amc).toEqual(base.amc);
      expect(moreOrders.joor.orders.length).toBe(90);
      expect(moreCustomers.amc.products).toEqual(base.amc.products);
      expect(moreCustomers.amc.skus).toEqual(base.amc.skus);
      expect(moreCustomers.amc.customers.slice(0, 30)).toEqual(base.amc.customers);
    });

    it('matches the pinned hash of a small fixed brand (update it only for a deliberate change)', () => {
      expect(sha256(generateBrand({ styles: 40, seed: 1234, customers: 25, orders: 40 }))).toBe('f654eeeb3489779fc512f1904ca5ffd65e46cf1f04d120f09b1bd1a0956ecb41');
    });

    it('fills the documented defaults and refuses out-of-range options', () => {
      expect(resolveSeedOptions({ styles: 5000, seed: 1 })).toEqual({ styles: 5000, seed: 1, customers: 500, orders: 1000, now: '2026-11-01T00:00:00Z' });
      expect(resolveSeedOptions({ styles: 10, seed: 1 })).toMatchObject({ customers: 20, orders: 30 });
      expect(() => generateBrand({ styles: 0, seed: 1 })).toThrow('styles must be');
      expect(() => generateBrand({ styles: 10, seed: -1 })).toThrow('seed must be');
      expect(() => generateBrand({ styles: 10, seed: 1, now: 'soon' })).toThrow('now must be');
    });

    // How fast is a benchmark figure, not a test: `time npm run seed -- --styles 5000 --seed 3 --print > /dev/null`
    // (about 2.5 s on a development machine).
    it('generates 5,000 styles (about 100k SKUs)', () => {
      const big = generateBrand({ styles: 5000, seed: 3 });
      expect(big.amc.products).toHaveLength(5000);
      expect(big.amc.skus.length).toBeGreaterThan(90_000);
    });
  });

  describe('AMC catalog', () => {
    it('has the seasons, size ranges, currencies and warehouses the JOOR side expects', () => {
      const seasonCodes = brand.joor.seasons.map((s) => s.code);
      expect(seasonCodes).toEqual(['FW26', 'Resort27', 'SS27', 'PreFall27', 'FW27']);
      expect(new Set(brand.amc.products.map((p) => p.season))).toEqual(new Set(seasonCodes));
      expect(new Set(brand.amc.products.map((p) => p.size_range_id))).toEqual(new Set(brand.amc.sizeRanges.map((r) => r.id)));
      expect(brand.amc.currencies.map((c) => c.name)).toEqual(['USD', 'EUR', 'GBP', 'CAD', 'JPY']);
      expect(brand.amc.currencies.filter((c) => c.is_default === '1').map((c) => c.name)).toEqual([brand.amc.settings.defaultCurrency]);
      for (const c of brand.amc.currencies) expect(c.rate).toMatch(/^\d+\.\d{4}$/);
      expect(brand.joor.priceTypes.map((p) => p.currency_code)).toEqual(['USD', 'USD', 'EUR', 'GBP', 'CAD']);
      expect(brand.amc.warehouses.length).toBeGreaterThanOrEqual(2);
      expect(brand.amc.warehouses.length).toBeLessThanOrEqual(3);
      expect(brand.amc.warehouses.map((w) => w.id)).toContain(brand.amc.settings.amcWarehouseId);
      expect(brand.joor.warehouses).toContain(brand.amc.settings.joorWarehouseName);
    });

    it('gives every style 2-5 colours and one SKU per colour and size, prices as decimal strings', () => {
      const colorsByProduct = new Map<string, number>();
      for (const a of brand.amc.attributes) colorsByProduct.set(a.product_id, (colorsByProduct.get(a.product_id) ?? 0) + 1);
      const ranges = new Map(brand.amc.sizeRanges.map((r) => [r.id, r.sizes]));
      const skuCount = new Map<string, number>();
      for (const s of brand.amc.skus) skuCount.set(s.product_id, (skuCount.get(s.product_id) ?? 0) + 1);
      const good = brand.amc.products.filter((p) => !badIds.has(p.product_id));
      expect(good.length).toBeGreaterThan(0);
      for (const p of good) expect(new Decimal(p.retail_price).greaterThan(p.price)).toBe(true);
      for (const p of brand.amc.products) {
        const colors = colorsByProduct.get(p.product_id)!;
        expect(colors).toBeGreaterThanOrEqual(2);
        expect(colors).toBeLessThanOrEqual(5);
        expect(skuCount.get(p.product_id)).toBe(colors * ranges.get(p.size_range_id)!.length);
        expect(p.price).toMatch(DECIMAL);
        expect(p.retail_price).toMatch(DECIMAL);
        expect(p.last_modified_time).toMatch(ISO_SECONDS);
        for (const g of p.price_groups) expect(g.price).toMatch(DECIMAL);
      }
      expect(new Set(brand.amc.skus.map((s) => s.sku_id)).size).toBe(brand.amc.skus.length);
    });

    it('prices most styles in several currencies and a few in JPY, which has no JOOR price type', () => {
      const currencyOf = new Map(brand.amc.currencies.map((c) => [c.id, c.name]));
      const withCurrency = (code: string): number => brand.amc.products.filter((p) => p.price_groups.some((g) => currencyOf.get(g.currency_id) === code)).length;
      expect(withCurrency('USD')).toBe(brand.amc.products.length - brand.expectations.standardPriceStyles.length);
      expect(brand.expectations.standardPriceStyles.length).toBeGreaterThan(0);
      const named = new Set(brand.amc.products.flatMap((p) => p.price_groups.map((g) => g.price_group)));
      // Two groups in USD, each with a JOOR price type of its name; EUR's type is found by its currency.
      expect([...named]).toEqual(expect.arrayContaining(['WHOLESALE USD', 'RETAILER USD', 'WHOLESALE EUR', 'WHOLESALE JPY']));
      expect(brand.joor.priceTypes.filter((t) => named.has(t.name)).map((t) => t.name)).toEqual(['WHOLESALE USD', 'RETAILER USD', 'WHOLESALE GBP', 'WHOLESALE CAD']);
      expect(share(withCurrency('EUR'), brand.amc.products.length)).toBeGreaterThan(0.7);
      expect(withCurrency('GBP')).toBeGreaterThan(0);
      expect(withCurrency('CAD')).toBeGreaterThan(0);
      const jpy = brand.expectations.unpricedCurrencyStyles;
      expect(jpy.length).toBe(withCurrency('JPY'));
      expect(share(jpy.length, brand.amc.products.length)).toBeGreaterThan(0.005);
      expect(share(jpy.length, brand.amc.products.length)).toBeLessThan(0.05);
    });

    it('flags about 85% of styles and about 90% of the SKUs of flagged styles for sync', () => {
      const synced = brand.amc.products.filter((p) => p.joor_sync === '1');
      expect(share(synced.length, brand.amc.products.length)).toBeGreaterThan(0.8);
      expect(share(synced.length, brand.amc.products.length)).toBeLessThan(0.9);
      const syncedIds = new Set(synced.map((p) => p.product_id));
      const skusOfSynced = brand.amc.skus.filter((s) => syncedIds.has(s.product_id));
      const skuShare = share(skusOfSynced.filter((s) => s.joor_sync === '1').length, skusOfSynced.length);
      expect(skuShare).toBeGreaterThan(0.85);
      expect(skuShare).toBeLessThan(0.95);
    });

    it('refers to style, colour and swatch images by path', () => {
      expect(share(brand.amc.products.filter((p) => p.images.some((i) => i.is_catalog_image === '1')).length, brand.amc.products.length)).toBeGreaterThan(0.9);
      const kinds = new Set(brand.amc.attributes.flatMap((a) => a.images.map((i) => i.kind)));
      expect(kinds).toEqual(new Set(['color', 'swatch']));
      for (const img of brand.amc.products.flatMap((p) => p.images)) expect(img.img).toMatch(/^\/images\/styles\/\d+(-\d)?\.png$/);
    });

    it('files swatches, and only swatches, under a path saying "swatch" (the rule media sync reads an unmarked AMC image by)', () => {
      const images = brand.amc.attributes.flatMap((a) => a.images);
      expect(images.length).toBeGreaterThan(1000);
      for (const image of images) expect(/swatch/i.test(image.img)).toBe(image.kind === 'swatch');
    });

    it('gives valid UPC-A codes, unique except the deliberate duplicate', () => {
      expect([...skusByUpc.keys()].filter((upc) => !isValidUpcA(upc))).toEqual([]);
      const duplicated = [...skusByUpc.values()].filter((list) => list.length > 1);
      const duplicateStyles = new Set(brand.expectations.badStyles.filter((b) => b.problem === 'duplicate-upc').map((b) => b.product_id));
      expect(duplicated.length).toBe(duplicateStyles.size);
      for (const list of duplicated) {
        expect(list).toHaveLength(2);
        expect(duplicateStyles.has(list[0].product_id)).toBe(true);
        expect(list[1].product_id).toBe(list[0].product_id);
      }
    });

    it('keeps company-wide stock equal to the sum of the warehouses, with the JOOR warehouse on every SKU', () => {
      const sums = new Map<string, number[]>();
      const inJoorWarehouse = new Set<string>();
      const broken: string[] = [];
      for (const row of brand.amc.skuWarehouse) {
        const sum = sums.get(row.sku_id) ?? [0, 0, 0];
        sums.set(row.sku_id, [sum[0] + row.qty_inventory, sum[1] + row.qty_avail_sell, sum[2] + row.qty_open_po]);
        if (row.warehouse_id === brand.amc.settings.amcWarehouseId) inJoorWarehouse.add(row.sku_id);
        if (row.qty_avail_alloc !== row.qty_inventory - row.qty_alloc || row.qty_avail_sell < 0) broken.push(`row ${row.sku_id}/${row.warehouse_id}`);
      }
      for (const sku of brand.amc.skus) {
        const sum = sums.get(sku.sku_id);
        if (!sum || sum.join() !== [sku.qty_inventory, sku.qty_avail_sell, sku.qty_open_po].join()) broken.push(`sum ${sku.sku_id}`);
        if (!inJoorWarehouse.has(sku.sku_id)) broken.push(`not in JOOR warehouse ${sku.sku_id}`);
      }
      expect(broken).toEqual([]);
      expect(brand.amc.skus.some((s) => s.qty_inventory === 0)).toBe(true);
      expect(brand.amc.skus.some((s) => s.qty_inventory > 50)).toBe(true);
    });
  });

  describe('bad styles', () => {
    it('has each problem, flagged for sync, and no more than 1% plus a handful', () => {
      const products = new Map(brand.amc.products.map((p) => [p.product_id, p]));
      const currencyIds = new Set(brand.amc.currencies.map((c) => c.id));
      // One check per problem (the type makes it one for every problem there is)...
      const shows: Record<BadStyleProblem, (p: AmcProduct, skus: AmcSku[]) => void> = {
        'missing-style-number': (p) => expect(p.style_number).toBe(''),
        'name-too-long': (p) => expect(p.description.length).toBeGreaterThan(100),
        'negative-price': (p) => expect(new Decimal(p.price).isNegative()).toBe(true),
        'unknown-currency': (p) => expect(p.price_groups.some((g) => !currencyIds.has(g.currency_id))).toBe(true),
        'duplicate-upc': (p, skus) => expect(new Set(skus.map((s) => s.upc_display)).size).toBe(skus.length - 1),
      };
      // ...and every problem occurs, so every check runs.
      expect(new Set(brand.expectations.badStyles.map((b) => b.problem))).toEqual(new Set(Object.keys(shows)));
      expect(brand.expectations.badStyles.length).toBeLessThanOrEqual(brand.amc.products.length * 0.01 + 5);
      for (const { product_id, problem } of brand.expectations.badStyles) {
        const p = products.get(product_id)!;
        expect(p.joor_sync).toBe('1');
        const skus = brand.amc.skus.filter((s) => s.product_id === product_id);
        expect(skus.every((s) => s.joor_sync === '1')).toBe(true);
        shows[problem](p, skus);
      }
      const good = brand.amc.products.filter((p) => !badIds.has(p.product_id));
      for (const p of good) {
        expect(p.style_number).not.toBe('');
        expect(p.description.length).toBeLessThanOrEqual(100);
        expect(p.price_groups.every((g) => currencyIds.has(g.currency_id))).toBe(true);
      }
    });

    it('keeps a tiny brand mostly good', () => {
      expect(generateBrand({ styles: 3, seed: 1 }).expectations.badStyles).toEqual([]);
      expect(generateBrand({ styles: 12, seed: 1 }).expectations.badStyles.map((b) => b.problem)).toEqual(['missing-style-number', 'name-too-long', 'duplicate-upc']);
    });
  });

  describe('customers and connections', () => {
    it('gives about 75% of customers a JOOR code and connects most of those on JOOR', () => {
      const withCode = brand.amc.customers.filter((c) => c.joor_customer_code !== '');
      expect(share(withCode.length, brand.amc.customers.length)).toBeGreaterThan(0.68);
      expect(share(withCode.length, brand.amc.customers.length)).toBeLessThan(0.82);
      const codes = new Set(withCode.map((c) => c.joor_customer_code));
      expect(codes.size).toBe(withCode.length);
      expect(brand.joor.connections.every((c) => codes.has(c.customer_code))).toBe(true);
      expect(share(brand.joor.connections.length, withCode.length)).toBeGreaterThan(0.8);
      expect(brand.joor.connections.length).toBeLessThan(withCode.length);
    });

    it('gives every customer one main location among its locations', () => {
      for (const c of brand.amc.customers) {
        expect(c.locations.filter((l) => l.is_main_location === '1')).toHaveLength(1);
        expect(c.locations.length).toBeLessThanOrEqual(3);
      }
      expect(new Set(brand.amc.customers.flatMap((c) => c.locations.map((l) => l.ship_to_id))).size).toBe(brand.amc.customers.reduce((n, c) => n + c.locations.length, 0));
    });
  });

  describe('JOOR orders', () => {
    const orders = brand.joor.orders;
    const amcCodes = new Set(brand.amc.customers.map((c) => c.joor_customer_code).filter((c) => c !== ''));
    const connected = new Set(brand.joor.connections.map((c) => c.customer_code));
    const attributes = new Map(brand.amc.attributes.map((a) => [`${a.product_id}|${a.attribute_2}`, a]));
    const products = new Map(brand.amc.products.map((p) => [p.product_id, p]));
    const unknownLines = (o: JoorOrder): number => o.line_items.filter((l) => !skusByUpc.has(l.item_upc)).length;

    it('has every status and every seed case', () => {
      expect(new Set(orders.map((o) => o.status))).toEqual(new Set(['Approved', 'Shipped', 'Pending', 'Cancelled']));
      expect(new Set(orders.map((o) => o.seed_case))).toEqual(new Set(['ok', 'before-start-date', 'unknown-sku', 'unknown-customer']));
      expect(new Set(generateBrand({ styles: 10, seed: 8, orders: 7 }).joor.orders.map((o) => o.seed_case)).size).toBe(4);
      expect(new Set(orders.map((o) => o.order_id)).size).toBe(orders.length);
    });

    it('references existing synced SKUs with their style, colour, size and price, except the unknown-SKU line', () => {
      const currencyId = new Map(brand.amc.currencies.map((c) => [c.name, c.id]));
      const wrong: string[] = [];
      for (const order of orders) {
        if (unknownLines(order) !== (order.seed_case === 'unknown-sku' ? 1 : 0)) wrong.push(`${order.order_id}: unknown lines`);
        if (!brand.joor.priceTypes.some((p) => p.currency_code === order.order_currency)) wrong.push(`${order.order_id}: currency`);
        for (const line of order.line_items) {
          const skus = skusByUpc.get(line.item_upc);
          if (!skus) continue;
          const sku = skus[0];
          const product = products.get(sku.product_id)!;
          const group = product.price_groups.find((g) => g.currency_id === currencyId.get(order.order_currency));
          const actual = [
            skus.length,
            badIds.has(product.product_id),
            product.joor_sync,
            sku.joor_sync,
            sku.active,
            line.item_number,
            line.item_size,
            line.item_color_code,
            line.item_price,
            line.item_quantity > 0,
          ];
          const expected = [1, false, '1', '1', '1', product.style_number, sku.size, attributes.get(`${sku.product_id}|${sku.attr_2}`)!.color_code, group?.price, true];
          if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${order.order_id} ${line.item_upc}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(orders.filter((o) => o.seed_case === 'ok').every((o) => o.line_items.length > 0)).toBe(true);
    });

    it('uses connected customer codes, except the unknown-customer cases', () => {
      const unknown = orders.filter((o) => o.seed_case === 'unknown-customer');
      const known = orders.filter((o) => o.seed_case !== 'unknown-customer');
      expect(unknown.length).toBeGreaterThan(0);
      expect(known.length).toBeGreaterThan(0);
      for (const order of unknown) expect(amcCodes.has(order.customer_code)).toBe(false);
      for (const order of known) expect(connected.has(order.customer_code)).toBe(true);
    });

    it('dates the before-start cases (created and modified) before the start date, and the rest after', () => {
      const start = `${brand.joor.orderStartDate}T00:00:00Z`;
      const early = orders.filter((o) => o.seed_case === 'before-start-date');
      const rest = orders.filter((o) => o.seed_case !== 'before-start-date');
      expect(early.length).toBeGreaterThan(0);
      expect(rest.length).toBeGreaterThan(0);
      for (const order of early) {
        expect(order.date_created < start && order.date_modified < start).toBe(true);
        expect(['Approved', 'Shipped']).toContain(order.status);
      }
      for (const order of rest) expect(order.date_created >= start).toBe(true);
      // The approval date by status, for every status (each occurs in this brand).
      const approvedDate: Record<JoorOrderStatus, (approved: string | null) => boolean> = {
        Pending: (approved) => approved === null,
        Approved: (approved) => approved !== null && ISO_SECONDS.test(approved),
        Shipped: (approved) => approved !== null && ISO_SECONDS.test(approved),
        // Some cancelled orders had been approved first.
        Cancelled: (approved) => approved === null || ISO_SECONDS.test(approved),
      };
      expect(new Set(orders.map((o) => o.status))).toEqual(new Set(Object.keys(approvedDate)));
      for (const order of orders) {
        expect(order.date_created).toMatch(ISO_SECONDS);
        expect(order.date_modified >= order.date_created).toBe(true);
        expect(order.date_created <= brand.options.now).toBe(true);
        expect([order.status, order.date_approved, approvedDate[order.status](order.date_approved)]).toEqual([order.status, order.date_approved, true]);
      }
    });

    it('keeps order totals equal to the sum of their lines', () => {
      for (const order of orders) {
        const total = order.line_items.reduce((sum, l) => sum.plus(new Decimal(l.item_price).mul(l.item_quantity)), new Decimal(0));
        expect(order.order_total).toMatch(DECIMAL);
        expect(order.order_total).toBe(total.toFixed(2));
      }
    });
  });
});
