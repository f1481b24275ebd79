import type { CatalogColorway as AmcProductAttribute, CatalogCurrency as AmcCurrency, CatalogProduct as AmcProduct, CatalogSku as AmcSku } from './catalog.types';
import { convertMoney, toJoorMoney } from './catalog-money';
import { mapStyle, type CatalogContext } from './catalog.mapper';
import { mapSeasonCollection } from './collection.mapper';
import { canonicalJson, payloadHash } from './payload-hash';

const currency = (id: string, name: string, rate: string, _base = false): AmcCurrency => ({ id, name, rate });

const ctx = (over: Partial<CatalogContext> = {}): CatalogContext => ({
  currencies: new Map([currency('1', 'USD', '1.0000', true), currency('2', 'EUR', '0.9213'), currency('5', 'JPY', '151.20')].map((c) => [c.id, c])),
  defaultCurrency: 'USD',
  priceTypes: [
    { id: '1', name: 'WHOLESALE USD', currency_code: 'USD' },
    { id: '2', name: 'Euro prices', currency_code: 'EUR' },
  ],
  sizeRanges: new Map([['3', ['XS', 'S', 'M', 'L']]]),
  traitIds: { color: '1001', size: '1002' },
  colorwaysAsProducts: false,
  ...over,
});

const product = (over: Partial<AmcProduct> = {}): AmcProduct => ({
  product_id: '1001',
  style_number: 'TO10001',
  description: 'Soft Linen Shirt',
  season: 'SS27',
  category: 'Tops',
  size_range_id: '3',
  price: '40.50',
  retail_price: '89.00',
  web_title: 'The Soft Linen Shirt',
  web_description: 'A soft linen shirt.',
  origin: 'Portugal',
  content: '100% Linen',
  joor_sync: '1',
  price_groups: [
    { id: '1', currency_id: '1', price_group: 'WHOLESALE USD', price: '40.50' },
    { id: '2', currency_id: '2', price_group: 'WHOLESALE EUR', price: '37.00' },
  ],
  ...over,
});

const colorway = (name: string, code: string, sync: '0' | '1' = '1'): AmcProductAttribute => ({ attribute_2: name, color_code: code, joor_sync: sync });

let skuSeq = 0;
const sku = (color: string, size: string, over: Partial<AmcSku> = {}): AmcSku => ({
  sku_id: String(++skuSeq),
  attr_2: color,
  size,
  size_position: 0,
  upc_display: `0000000${skuSeq}`.padStart(12, '0'),
  active: '1',
  joor_sync: '1',
  ...over,
});

describe('money', () => {
  it('converts through the base currency in decimal and rounds once, half up, to cents', () => {
    expect(convertMoney('89.00', { from: '1', to: '0.9213' })).toBe('82.00'); // 81.9957
    expect(convertMoney('10.05', { from: '1', to: '1.5' })).toBe('15.08'); // 15.075 exactly: a float would give 15.07
    expect(convertMoney('0.1', { from: '1', to: '3' })).toBe('0.30');
    // EUR -> GBP with USD as the base: 100 EUR = 100 / 0.92 USD = 85.869... GBP at 0.79.
    expect(convertMoney('100.00', { from: '0.92', to: '0.79' })).toBe('85.87');
    // Back into the base: 92 EUR at 0.92 is exactly 100 USD.
    expect(convertMoney('92', { from: '0.92', to: '1' })).toBe('100.00');
    expect(toJoorMoney('40.5')).toBe('40.50');
  });
});

describe('mapStyle', () => {
  it('maps fields, traits in size-range order, UPCs, and a price per price group with the retail converted', () => {
    const skus = [sku('Navy', 'L'), sku('Navy', 'XS'), sku('Ecru', 'M'), sku('Navy', 'S')];
    const mapped = mapStyle({ product: product(), colorways: [colorway('Navy', 'NAV'), colorway('Ecru', 'ECR')], skus }, ctx());
    if (mapped.kind !== 'synced') throw new Error(`expected synced, got ${mapped.kind}`);
    const [p] = mapped.products;
    expect(p.payload).toMatchObject({ name: 'Soft Linen Shirt', external_id: 'TO10001', product_identifier: 'TO10001', description: 'A soft linen shirt.' });
    expect(p.payload.product_trait_values).toEqual([
      { name: 'Country of Origin', value: 'Portugal' },
      { name: 'Fabrication', value: '100% Linen' },
    ]);
    expect(p.skus.map((s) => `${s.payload.trait_values[0].value}/${s.payload.trait_values[1].value}`)).toEqual(['Navy/XS', 'Navy/S', 'Navy/L', 'Ecru/M']);
    expect(p.skus[0].payload.trait_values[0]).toEqual({ trait_id: '1001', value: 'Navy', external_id: 'NAV' });
    expect(p.skus[0].payload.identifiers).toEqual([{ type: 'upc', value: skus[1].upc_display }]);
    expect(p.skus[0].prices.map((x) => [x.priceTypeId, x.wholesale, x.retail])).toEqual([
      ['1', '40.50', '89.00'],
      ['2', '37.00', '82.00'],
    ]);
  });

  it('sends only active SKUs flagged at SKU level whose colorway is flagged (the writer retires the rest)', () => {
    const keep = sku('Navy', 'S');
    const unflagged = sku('Navy', 'M', { joor_sync: '0' });
    const inactive = sku('Navy', 'L', { active: '0' });
    const otherColor = sku('Ecru', 'S');
    const mapped = mapStyle({ product: product(), colorways: [colorway('Navy', 'NAV'), colorway('Ecru', 'ECR', '0')], skus: [keep, unflagged, inactive, otherColor] }, ctx());
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products[0].skus.map((s) => [s.key, s.payload.status, s.prices.length])).toEqual([[keep.sku_id, 'ACTIVE', 2]]);
  });

  it('is unflagged when the product-level flag is off', () => {
    expect(mapStyle({ product: product({ joor_sync: '0' }), colorways: [], skus: [] }, ctx()).kind).toBe('unflagged');
  });

  it.each([
    ['no style number', { style_number: '' }, /no style number/],
    ['a name over 100 characters', { description: 'x'.repeat(101) }, /JOOR allows 100/],
    ['a negative price', { price_groups: [{ id: '1', currency_id: '1', price_group: 'WHOLESALE USD', price: '-4.00' }] }, /negative price/],
    ['an unknown currency', { price_groups: [{ id: '9', currency_id: '99', price_group: 'WHOLESALE XXX', price: '4.00' }] }, /currency id 99/],
  ])('fails the style for %s', (_label, over, reason) => {
    const mapped = mapStyle({ product: product(over as Partial<AmcProduct>), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
    expect(mapped.kind).toBe('failed');
    if (mapped.kind === 'failed') expect(mapped.reasons.join(' ')).toMatch(reason);
  });

  it('fails the style on a UPC carried by two of its SKUs', () => {
    const a = sku('Navy', 'S');
    const b = sku('Navy', 'M', { upc_display: a.upc_display });
    const mapped = mapStyle({ product: product(), colorways: [], skus: [a, b] }, ctx());
    expect(mapped.kind).toBe('failed');
  });

  it('skips a price group whose currency has no JOOR price type, with a warning, and still syncs the style', () => {
    const groups = [...product().price_groups, { id: '3', currency_id: '5', price_group: 'WHOLESALE JPY', price: '6100.00' }];
    const mapped = mapStyle({ product: product({ price_groups: groups }), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products[0].skus[0].prices).toHaveLength(2);
    expect(mapped.warnings).toEqual([expect.objectContaining({ entityType: 'price', entityKey: '1001:3', reason: expect.stringMatching(/"WHOLESALE JPY" \(JPY\) finds no JOOR price type/) })]);
  });

  it('sends two price groups of one currency as two prices when JOOR has a price type for each', () => {
    const groups = [
      { id: '1', currency_id: '1', price_group: 'WHOLESALE USD', price: '40.50' },
      { id: '7', currency_id: '1', price_group: 'RETAILER USD', price: '44.00' },
      { id: '2', currency_id: '2', price_group: 'WHOLESALE EUR', price: '37.00' },
    ];
    const types = [
      { id: 'T-usd-a', name: 'Dollar list', currency_code: 'USD' },
      { id: 'T-usd-r', name: 'retailer  usd', currency_code: 'USD' },
      { id: 'T-usd-w', name: 'WHOLESALE USD', currency_code: 'USD' },
      { id: 'T-eur', name: 'EUR', currency_code: 'eur' },
    ];
    const mapped = mapStyle({ product: product({ price_groups: groups }), colorways: [], skus: [sku('Navy', 'S')] }, ctx({ priceTypes: types }));
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products[0].skus[0].prices.map((p) => [p.label, p.priceTypeId, p.wholesale, p.retail])).toEqual([
      ['WHOLESALE USD', 'T-usd-w', '40.50', '89.00'],
      ['RETAILER USD', 'T-usd-r', '44.00', '89.00'],
      ['WHOLESALE EUR', 'T-eur', '37.00', '82.00'],
    ]);
    expect(mapped.warnings).toEqual([]);
  });

  it('a second group of a currency with only one JOOR type is an event; the first keeps the type', () => {
    const groups = [
      { id: '1', currency_id: '1', price_group: 'WHOLESALE USD', price: '40.50' },
      { id: '7', currency_id: '1', price_group: 'RETAILER USD', price: '44.00' },
    ];
    const mapped = mapStyle({ product: product({ price_groups: groups }), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products[0].skus[0].prices.map((p) => [p.label, p.priceTypeId])).toEqual([['WHOLESALE USD', '1']]);
    expect(mapped.warnings).toEqual([expect.objectContaining({ entityKey: '1001:7', reason: expect.stringMatching(/"RETAILER USD" \(USD\) finds no JOOR price type/) })]);
  });

  it('a style with no price group JOOR prices still gets its standard price in the default currency', () => {
    const jpyOnly = [{ id: '3', currency_id: '5', price_group: 'WHOLESALE JPY', price: '6100.00' }];
    for (const groups of [[], jpyOnly]) {
      const mapped = mapStyle({ product: product({ price_groups: groups }), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
      if (mapped.kind !== 'synced') throw new Error('expected synced');
      expect(mapped.products[0].skus[0].prices.map((p) => [p.label, p.priceTypeId, p.currency, p.wholesale, p.retail])).toEqual([
        ['DEFAULT APPARELMAGIC WHOLESALE PRICE', '1', 'USD', '40.50', '89.00'],
      ]);
    }
  });

  it('prices the MSRP in the connection default currency when it is not AMC base currency', () => {
    // AMC's base is USD (EUR 0.9213); the brand prices MSRPs in EUR: 89 EUR is 89 / 0.9213 = 96.60 USD.
    const mapped = mapStyle({ product: product(), colorways: [], skus: [sku('Navy', 'S')] }, ctx({ defaultCurrency: 'EUR' }));
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products[0].skus[0].prices.map((p) => [p.currency, p.retail])).toEqual([
      ['USD', '96.60'],
      ['EUR', '89.00'],
    ]);
  });

  it('a cleared MSRP gives prices without retail, and a missing rate is a warning, not a wrong retail', () => {
    const cleared = mapStyle({ product: product({ retail_price: '' }), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
    if (cleared.kind !== 'synced') throw new Error('expected synced');
    expect(cleared.products[0].skus[0].prices.map((p) => p.retail)).toEqual([null, null]);
    const zero = mapStyle({ product: product({ retail_price: '0.00' }), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
    if (zero.kind !== 'synced') throw new Error('expected synced');
    expect(zero.products[0].skus[0].prices.map((p) => p.retail)).toEqual([null, null]);
    const before = mapStyle({ product: product(), colorways: [], skus: [sku('Navy', 'S')] }, ctx());
    if (before.kind !== 'synced') throw new Error('expected synced');
    expect(cleared.products[0].skus[0].prices[0].hash).not.toBe(before.products[0].skus[0].prices[0].hash);

    const noRate = ctx({ currencies: new Map([currency('1', 'USD', '1.0000', true), currency('2', 'EUR', '0')].map((c) => [c.id, c])) });
    const mapped = mapStyle({ product: product(), colorways: [], skus: [sku('Navy', 'S')] }, noRate);
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products[0].skus[0].prices.map((p) => [p.currency, p.retail])).toEqual([
      ['USD', '89.00'],
      ['EUR', null],
    ]);
    expect(mapped.warnings).toEqual([expect.objectContaining({ reason: expect.stringMatching(/from USD into EUR.*no usable exchange rate for EUR/) })]);
  });

  it('a renamed color changes the SKU payload (traits, identifier) and its hash', () => {
    const a = sku('Navy', 'S');
    const before = mapStyle({ product: product(), colorways: [colorway('Navy', 'NAV')], skus: [a] }, ctx());
    const after = mapStyle({ product: product(), colorways: [colorway('Midnight', 'MID')], skus: [{ ...a, attr_2: 'Midnight' }] }, ctx());
    if (before.kind !== 'synced' || after.kind !== 'synced') throw new Error('expected synced');
    const [b, c] = [before.products[0].skus[0], after.products[0].skus[0]];
    expect(c.key).toBe(b.key);
    expect(c.payload.trait_values[0]).toEqual({ trait_id: '1001', value: 'Midnight', external_id: 'MID' });
    expect(c.payload.sku_identifier).toBe('TO10001-MID-S');
    expect(c.hash).not.toBe(b.hash);
  });

  it('makes each colorway its own product when syncColorwaysAsProducts is on', () => {
    const mapped = mapStyle({ product: product(), colorways: [colorway('Navy', 'NAV'), colorway('Ecru', 'ECR')], skus: [sku('Navy', 'S'), sku('Ecru', 'S')] }, ctx({ colorwaysAsProducts: true }));
    if (mapped.kind !== 'synced') throw new Error('expected synced');
    expect(mapped.products.map((p) => [p.key, p.payload.external_id, p.payload.name, p.skus.length])).toEqual([
      ['1001:NAV', 'TO10001-NAV', 'Soft Linen Shirt - Navy', 1],
      ['1001:ECR', 'TO10001-ECR', 'Soft Linen Shirt - Ecru', 1],
    ]);
    // Another JOOR SKU than in style mode: its own link key and external id, so a switch creates it under the new product.
    const [navy] = mapped.products[0].skus;
    expect(navy.key).toBe(`${navy.skuId}:cw`);
    expect(navy.payload.external_id).toBe(`amc-sku-${navy.skuId}-cw`);
    expect(navy.prices[0].key).toBe(`${navy.skuId}:cw:1`);
    const styleMode = mapStyle({ product: product(), colorways: [colorway('Navy', 'NAV')], skus: [sku('Navy', 'S')] }, ctx());
    if (styleMode.kind !== 'synced') throw new Error('expected synced');
    expect(styleMode.products[0].skus[0].payload.external_id).toBe(`amc-sku-${styleMode.products[0].skus[0].skuId}`);
  });

  it('gives the same hashes for the same style and a new one when a price changes', () => {
    const skus = [sku('Navy', 'S')];
    const a = mapStyle({ product: product(), colorways: [], skus }, ctx());
    const b = mapStyle({ product: product(), colorways: [], skus }, ctx());
    const c = mapStyle({ product: product({ retail_price: '90.00' }), colorways: [], skus }, ctx());
    if (a.kind !== 'synced' || b.kind !== 'synced' || c.kind !== 'synced') throw new Error('expected synced');
    expect(b.products[0].hash).toBe(a.products[0].hash);
    expect(b.products[0].skus[0].prices[1].hash).toBe(a.products[0].skus[0].prices[1].hash);
    expect(c.products[0].hash).toBe(a.products[0].hash);
    expect(c.products[0].skus[0].prices[1].hash).not.toBe(a.products[0].skus[0].prices[1].hash);
  });
});

describe('payload hash and linesheets', () => {
  it('ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(payloadHash({ a: 1, b: 2 })).toBe(payloadHash({ b: 2, a: 1 }));
  });

  it('names a season linesheet after JOOR season and orders its products', () => {
    const c = mapSeasonCollection('SS27', ['5', '7'], { id: '3', name: 'Spring/Summer 2027' });
    expect(c.payload).toEqual({
      name: 'Spring/Summer 2027',
      external_id: 'amc-season-SS27',
      season_id: '3',
      items: [
        { product_id: '5', order_number: 1 },
        { product_id: '7', order_number: 2 },
      ],
    });
  });
});
