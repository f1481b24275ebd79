import Decimal from 'decimal.js';
import type {
  AmcCurrency,
  AmcCustomer,
  AmcCustomerLocation,
  AmcDivision,
  AmcImageRef,
  AmcPriceGroup,
  AmcProduct,
  AmcProductAttribute,
  AmcQuantities,
  AmcSizeRange,
  AmcSku,
  AmcSkuWarehouse,
  AmcWarehouse,
  BadStyleProblem,
  Brand,
  BrandExpectations,
  JoorConnection,
  JoorOrder,
  JoorOrderLine,
  JoorOrderStatus,
  JoorPriceType,
  JoorSeason,
  SeedOptions,
} from './brand.model';
import { Rng } from './prng';
import { makeUpcA } from './upc';
import { ADJECTIVES, CATEGORIES, CATEGORY_WEIGHTS, COLORS, FABRICS, FEATURES, LOCALES, ORIGINS, SIZE_RANGES, STORE_WORDS_A, STORE_WORDS_B, STREETS } from './vocabulary';

export const DEFAULT_SEED_NOW = '2026-11-01T00:00:00Z';
/** The UPC item reference has 6 digits (1,000,000 SKUs); 35 SKUs per style at most keeps us under it. */
export const MAX_SEED_STYLES = 25_000;

const DAY_MS = 86_400_000;
const UPC_PREFIX = '84012';
/** Outside the brand's own UPC prefix, so an "unknown SKU" line can never hit a seeded SKU. */
const UNKNOWN_UPC_PREFIX = '84099';
const BAD_PROBLEMS: readonly BadStyleProblem[] = ['missing-style-number', 'name-too-long', 'duplicate-upc', 'negative-price', 'unknown-currency'];
const UNKNOWN_CURRENCY_ID = '99';
const ORDER_STATUSES: readonly JoorOrderStatus[] = ['Approved', 'Shipped', 'Pending', 'Cancelled'];

/** Fills the defaults documented on SeedOptions and checks the ranges. */
export function resolveSeedOptions(options: SeedOptions): Required<SeedOptions> {
  const { styles, seed } = options;
  if (!Number.isInteger(styles) || styles < 1 || styles > MAX_SEED_STYLES) throw new Error(`styles must be an integer from 1 to ${MAX_SEED_STYLES}, got ${styles}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  const customers = options.customers ?? Math.max(20, Math.floor(styles / 10));
  const orders = options.orders ?? Math.max(30, Math.floor(styles / 5));
  if (!Number.isInteger(customers) || customers < 1 || customers > 1_000_000) throw new Error(`customers must be an integer from 1 to 1000000, got ${customers}`);
  if (!Number.isInteger(orders) || orders < 0 || orders > 1_000_000) throw new Error(`orders must be an integer from 0 to 1000000, got ${orders}`);
  const now = options.now ?? DEFAULT_SEED_NOW;
  if (Number.isNaN(Date.parse(now))) throw new Error(`now must be an ISO date, got "${now}"`);
  return { styles, seed, customers, orders, now };
}

/**
 * Generates the whole brand. Pure: the same options give the same brand, byte for byte.
 * Each part draws from its own PRNG stream, so changing `customers` or `orders` leaves the
 * catalog as it was, and changing `orders` leaves the customers as they were.
 */
export function generateBrand(input: SeedOptions): Brand {
  const options = resolveSeedOptions(input);
  const nowMs = Date.parse(options.now);
  const setup = buildSetup(options, nowMs);
  const catalog = buildCatalog(options, nowMs, setup);
  const customers = buildCustomers(options, nowMs, setup);
  const connections = buildConnections(options, customers);
  const orderStartMs = startOfDay(nowMs - 120 * DAY_MS);
  const orders = buildOrders(options, nowMs, orderStartMs, setup, catalog, customers, connections);

  return {
    options,
    amc: {
      currencies: setup.currencies,
      warehouses: setup.warehouses,
      divisions: setup.divisions,
      sizeRanges: setup.sizeRanges,
      products: catalog.products,
      attributes: catalog.attributes,
      skus: catalog.skus,
      skuWarehouse: catalog.skuWarehouse,
      customers,
      settings: { defaultCurrency: 'USD', amcWarehouseId: setup.warehouses[0].id, divisionId: setup.divisions[0].id, joorWarehouseName: setup.joorWarehouseName },
    },
    joor: {
      accountId: setup.joorAccountId,
      priceTypes: setup.priceTypes,
      seasons: setup.seasons,
      warehouses: [setup.joorWarehouseName, 'Showroom Stock'],
      connections,
      orders,
      orderStartDate: isoDay(orderStartMs),
    },
    expectations: catalog.expectations,
  };
}

// ---------- set-up: currencies, warehouses, seasons, price types ----------

interface Setup {
  currencies: AmcCurrency[];
  currencyIdByCode: Map<string, string>;
  rateByCode: Map<string, Decimal>;
  warehouses: AmcWarehouse[];
  divisions: AmcDivision[];
  sizeRanges: AmcSizeRange[];
  seasons: JoorSeason[];
  seasonWeights: Array<readonly [string, number]>;
  priceTypes: JoorPriceType[];
  joorWarehouseName: string;
  joorAccountId: string;
}

function buildSetup(options: Required<SeedOptions>, nowMs: number): Setup {
  const rng = Rng.stream(options.seed, 'setup');
  const base: ReadonlyArray<readonly [string, string, string]> = [
    ['USD', '$', '1'],
    ['EUR', '€', '0.92'],
    ['GBP', '£', '0.79'],
    ['CAD', 'C$', '1.37'],
    ['JPY', '¥', '151.20'],
  ];
  const currencies: AmcCurrency[] = base.map(([code, symbol, rate], i) => ({
    id: String(i + 1),
    name: code,
    is_default: i === 0 ? '1' : '0',
    symbol,
    // Rates wander by up to 2% per seed so conversions are not all the same numbers.
    rate: i === 0 ? '1.0000' : new Decimal(rate).mul(new Decimal(rng.int(-200, 200)).div(10_000).plus(1)).toFixed(4),
    last_updated: isoSeconds(nowMs - rng.int(1, 72) * 3_600_000),
  }));
  const warehouseNames = ['MAIN WAREHOUSE', 'WEST COAST 3PL', 'EU FULFILMENT'];
  const warehouseCount = rng.int(2, 3);
  const year = new Date(nowMs).getUTCFullYear() % 100;
  const seasonDefs: ReadonlyArray<readonly [string, string, number]> = [
    [`FW${year}`, `Fall/Winter 20${year}`, 10],
    [`Resort${year + 1}`, `Resort 20${year + 1}`, 15],
    [`SS${year + 1}`, `Spring/Summer 20${year + 1}`, 35],
    [`PreFall${year + 1}`, `Pre-Fall 20${year + 1}`, 15],
    [`FW${year + 1}`, `Fall/Winter 20${year + 1}`, 25],
  ];
  return {
    currencies,
    currencyIdByCode: new Map(currencies.map((c) => [c.name, c.id])),
    rateByCode: new Map(currencies.map((c) => [c.name, new Decimal(c.rate)])),
    warehouses: warehouseNames.slice(0, warehouseCount).map((name, i) => ({ id: String(i + 1), name })),
    divisions: [
      { id: '1', name: 'WOMENS' },
      { id: '2', name: 'MENS' },
      { id: '3', name: 'ACCESSORIES' },
    ],
    sizeRanges: SIZE_RANGES.map((r) => ({ id: r.id, name: r.name, sizes: [...r.sizes] })),
    seasons: seasonDefs.map(([code, name], i) => ({ id: String(i + 1), name, code })),
    seasonWeights: seasonDefs.map(([code, , weight]) => [code, weight] as const),
    // Named after AMC's price groups, except EUR's (found by its currency); two in USD (WHOLESALE and
    // RETAILER groups both arrive); JPY deliberately has none: a JPY price group is skipped, not the style.
    priceTypes: (
      [
        ['WHOLESALE USD', 'USD'],
        ['RETAILER USD', 'USD'],
        ['Euro Wholesale', 'EUR'],
        ['WHOLESALE GBP', 'GBP'],
        ['WHOLESALE CAD', 'CAD'],
      ] as const
    ).map(([name, code], i) => ({ id: String(i + 1), name, currency_code: code, retail_currency_code: code })),
    joorWarehouseName: 'Main Warehouse',
    joorAccountId: String(rng.int(100_000, 999_999)),
  };
}

// ---------- catalog: products, colorways, SKUs, stock ----------

interface StyleIndex {
  product: AmcProduct;
  bad: boolean;
  /** Currency code -> wholesale price in it. */
  priceByCurrency: Map<string, string>;
  colors: Array<{ attribute: AmcProductAttribute; skus: AmcSku[] }>;
}

interface Catalog {
  products: AmcProduct[];
  attributes: AmcProductAttribute[];
  skus: AmcSku[];
  skuWarehouse: AmcSkuWarehouse[];
  styles: StyleIndex[];
  expectations: BrandExpectations;
}

function badStylePlan(rng: Rng, styles: number): Map<number, BadStyleProblem> {
  // A fixed handful (one per problem) plus 0.5% more, never over a quarter of a tiny brand.
  const count = Math.min(BAD_PROBLEMS.length + Math.floor(styles / 200), Math.floor(styles / 4));
  const candidates = Array.from({ length: styles - 1 }, (_, i) => i + 1); // style 0 always stays good
  const picked = rng.sample(candidates, count).sort((a, b) => a - b);
  return new Map(picked.map((index, i) => [index, BAD_PROBLEMS[i % BAD_PROBLEMS.length]]));
}

function buildCatalog(options: Required<SeedOptions>, nowMs: number, setup: Setup): Catalog {
  const rng = Rng.stream(options.seed, 'catalog');
  const stockRng = Rng.stream(options.seed, 'stock');
  // Its own stream, so these choices leave the rest of the catalog as it was.
  const groupRng = Rng.stream(options.seed, 'price-groups');
  const bad = badStylePlan(rng, options.styles);
  const upcOffset = rng.int(0, 999_999);
  const products: AmcProduct[] = [];
  const attributes: AmcProductAttribute[] = [];
  const skus: AmcSku[] = [];
  const skuWarehouse: AmcSkuWarehouse[] = [];
  const styles: StyleIndex[] = [];
  const expectations: BrandExpectations = { badStyles: [], unpricedCurrencyStyles: [], standardPriceStyles: [] };
  let priceGroupSeq = 0;
  let skuSeq = 0;

  for (let i = 0; i < options.styles; i++) {
    const problem = bad.get(i);
    const category = CATEGORIES[rng.weighted(CATEGORY_WEIGHTS)];
    const sizeRangeId = rng.weighted(category.sizeRanges);
    const sizeRange = SIZE_RANGES.find((r) => r.id === sizeRangeId)!;
    const [fabric, content] = rng.pick(FABRICS);
    const name = `${rng.pick(ADJECTIVES)} ${fabric} ${rng.pick(category.garments)}`;
    const season = rng.weighted(setup.seasonWeights);
    const productId = String(1001 + i);
    const styleNumber = `${category.name.slice(0, 2).toUpperCase()}${10001 + i}`;
    const wholesale = new Decimal(rng.int(category.price[0], category.price[1])).plus(rng.chance(0.3) ? '0.50' : '0');
    const msrp = wholesale.mul(rng.pick(['2.0', '2.2', '2.4', '2.5'])).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
    const synced = problem !== undefined || i === 0 || rng.chance(0.85);
    const lastModifiedMs = nowMs - rng.int(0, 365 * 86_400) * 1000;

    const priceByCurrency = new Map<string, string>([['USD', wholesale.toFixed(2)]]);
    const priceGroups: AmcPriceGroup[] = [];
    const addGroup = (currencyId: string, code: string, price: string, label = `WHOLESALE ${code}`): void => {
      priceGroups.push({ id: String(++priceGroupSeq), currency_id: currencyId, price_group: label, price });
    };
    // A few good styles carry only a JPY group (no price JOOR takes): their standard price goes instead.
    const jpyOnly = problem === undefined && i > 0 && groupRng.chance(0.03);
    if (!jpyOnly) addGroup(setup.currencyIdByCode.get('USD')!, 'USD', wholesale.toFixed(2));
    else priceByCurrency.delete('USD'); // not orderable: the seeded orders price lines by their price group
    if (!jpyOnly && groupRng.chance(0.3)) {
      addGroup(setup.currencyIdByCode.get('USD')!, 'USD', wholesale.mul('1.1').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2), 'RETAILER USD');
    }
    for (const [code, probability] of [
      ['EUR', 0.8],
      ['GBP', 0.65],
      ['CAD', 0.55],
    ] as const) {
      if (!rng.chance(probability) || jpyOnly) continue;
      const price = wholesale.mul(setup.rateByCode.get(code)!).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(2);
      priceByCurrency.set(code, price);
      addGroup(setup.currencyIdByCode.get(code)!, code, price);
    }
    if (problem === undefined && (rng.chance(0.02) || jpyOnly)) {
      const yen = wholesale.mul(setup.rateByCode.get('JPY')!).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(100).toFixed(2);
      addGroup(setup.currencyIdByCode.get('JPY')!, 'JPY', yen);
      expectations.unpricedCurrencyStyles.push({ product_id: productId, currency: 'JPY' });
    }
    if (jpyOnly) expectations.standardPriceStyles.push(productId);

    const images: AmcImageRef[] = [];
    if (rng.chance(0.95)) {
      images.push({ img: `/images/styles/${productId}.png`, is_catalog_image: '1' });
      const imageCount = rng.int(1, 3);
      for (let k = 2; k <= imageCount; k++) images.push({ img: `/images/styles/${productId}-${k}.png`, is_catalog_image: '0' });
    }

    const product: AmcProduct = {
      product_id: productId,
      style_number: styleNumber,
      description: name,
      season,
      category: category.name,
      division_id: category.name === 'Accessories' ? '3' : rng.chance(0.8) ? '1' : '2',
      size_range_id: sizeRange.id,
      price: wholesale.toFixed(2),
      retail_price: msrp.toFixed(2),
      web_title: `The ${name}`,
      web_description: `A ${name.toLowerCase()} in ${content.toLowerCase()}, with ${rng.pick(FEATURES)} and ${rng.pick(FEATURES)}.`,
      origin: rng.pick(ORIGINS),
      content,
      joor_sync: synced ? '1' : '0',
      images,
      price_groups: priceGroups,
      last_modified_time: isoSeconds(lastModifiedMs),
    };
    applyProblem(product, problem, priceGroups, rng);
    if (problem === 'unknown-currency') addGroup(UNKNOWN_CURRENCY_ID, 'XXX', product.price);
    if (problem) expectations.badStyles.push({ product_id: productId, problem });

    const style: StyleIndex = { product, bad: problem !== undefined, priceByCurrency, colors: [] };
    for (const [colorName, colorCode] of rng.sample(COLORS, rng.int(2, 5))) {
      const colorSynced = synced && (problem !== undefined || i === 0 || rng.chance(0.97));
      const attribute: AmcProductAttribute = {
        id: String(attributes.length + 1),
        product_id: productId,
        attribute_2: colorName,
        color_code: colorCode,
        season,
        joor_sync: colorSynced ? '1' : '0',
        images: rng.chance(0.9)
          ? [
              { img: `/images/colors/${productId}-${colorCode}.png`, is_catalog_image: '0', kind: 'color' },
              { img: `/images/swatches/${productId}-${colorCode}.png`, is_catalog_image: '0', kind: 'swatch' },
            ]
          : [],
        last_modified_time: product.last_modified_time,
      };
      attributes.push(attribute);
      const colorSkus: AmcSku[] = [];
      sizeRange.sizes.forEach((size, position) => {
        const skuId = String(++skuSeq);
        // i * 7919 mod 10^6 is a bijection (7919 is prime to 10^6): unique, scattered item references.
        const itemRef = (((skuSeq - 1) * 7919 + upcOffset) % 1_000_000).toString().padStart(6, '0');
        const active = problem !== undefined || i === 0 || rng.chance(0.98);
        const quantities = buildStock(stockRng, skuId, setup.warehouses, active, skuWarehouse);
        const sku: AmcSku = {
          sku_id: skuId,
          product_id: productId,
          style_number: product.style_number,
          attr_2: colorName,
          size,
          size_position: position + 1,
          upc_display: makeUpcA(UPC_PREFIX + itemRef),
          price: product.price,
          retail_price: product.retail_price,
          active: active ? '1' : '0',
          joor_sync: colorSynced && (problem !== undefined || i === 0 || rng.chance(0.93)) ? '1' : '0',
          ...quantities,
          last_modified_time: isoSeconds(lastModifiedMs + rng.int(0, Math.floor((nowMs - lastModifiedMs) / 1000)) * 1000),
        };
        skus.push(sku);
        colorSkus.push(sku);
      });
      style.colors.push({ attribute, skus: colorSkus });
    }
    if (problem === 'duplicate-upc') {
      const all = style.colors.flatMap((c) => c.skus);
      all[all.length - 1].upc_display = all[0].upc_display;
    }
    products.push(product);
    styles.push(style);
  }
  return { products, attributes, skus, skuWarehouse, styles, expectations };
}

function applyProblem(product: AmcProduct, problem: BadStyleProblem | undefined, priceGroups: AmcPriceGroup[], rng: Rng): void {
  switch (problem) {
    case 'missing-style-number':
      product.style_number = '';
      break;
    case 'name-too-long': {
      // JOOR caps style names at 100 characters; the web title is the other name source, so both are long.
      let longName = `${product.description} with ${rng.pick(FEATURES)}`;
      while (longName.length <= 120) longName += `, ${rng.pick(FEATURES)}`;
      product.description = longName;
      product.web_title = `The ${longName}`;
      break;
    }
    case 'negative-price':
      product.price = `-${product.price}`;
      priceGroups[0].price = product.price;
      break;
    case 'unknown-currency': // its extra price group is added by the caller
    case 'duplicate-upc': // made once the SKUs exist
    case undefined:
      break;
  }
}

const ZERO_QUANTITIES: AmcQuantities = { qty_inventory: 0, qty_avail_sell: 0, qty_alloc: 0, qty_avail_alloc: 0, qty_open_sales: 0, qty_open_po: 0, qty_in_transit: 0 };

/**
 * Per-warehouse rows first, then the company-wide row as their sum, so /inventory and
 * /sku_warehouse always agree. Available to sell never goes below zero (AMC shows oversold
 * stock as 0 available).
 */
function buildStock(rng: Rng, skuId: string, warehouses: AmcWarehouse[], active: boolean, out: AmcSkuWarehouse[]): AmcQuantities {
  const total: AmcQuantities = { ...ZERO_QUANTITIES };
  warehouses.forEach((warehouse, w) => {
    if (w > 0 && !rng.chance(0.6)) return; // the brand's JOOR warehouse (first) stocks every SKU
    const inventory = !active || rng.chance(0.12) ? 0 : Math.max(1, Math.round(rng.next() * rng.next() * 150));
    const alloc = rng.int(0, Math.floor(inventory * 0.3));
    const openSales = alloc + (rng.chance(0.3) ? rng.int(1, 10) : 0);
    const row: AmcQuantities = {
      qty_inventory: inventory,
      qty_avail_sell: Math.max(0, inventory - openSales),
      qty_alloc: alloc,
      qty_avail_alloc: inventory - alloc,
      qty_open_sales: openSales,
      qty_open_po: rng.chance(0.2) ? rng.int(10, 100) : 0,
      qty_in_transit: rng.chance(0.1) ? rng.int(5, 50) : 0,
    };
    out.push({ sku_id: skuId, warehouse_id: warehouse.id, ...row });
    for (const key of Object.keys(total) as Array<keyof AmcQuantities>) total[key] += row[key];
  });
  return total;
}

// ---------- customers and JOOR connections ----------

function buildCustomers(options: Required<SeedOptions>, nowMs: number, setup: Setup): AmcCustomer[] {
  const rng = Rng.stream(options.seed, 'customers');
  const usedNames = new Set<string>();
  const customers: AmcCustomer[] = [];
  let shipToSeq = 0;
  for (let i = 0; i < options.customers; i++) {
    const locale = rng.weighted(LOCALES);
    const [city, state, postalPrefix] = rng.pick(locale.cities);
    let name = `${rng.pick(STORE_WORDS_A)} ${rng.pick(STORE_WORDS_B)}`;
    if (usedNames.has(name)) name = `${name} ${city}`;
    if (usedNames.has(name)) name = `${name} ${i + 1}`;
    usedNames.add(name);
    const accountNumber = `C${String(i + 1).padStart(5, '0')}`;
    const address = (where: readonly [string, string, string]): Pick<AmcCustomerLocation, 'address_1' | 'address_2' | 'city' | 'state' | 'postal_code' | 'country'> => ({
      address_1: `${rng.int(1, 999)} ${rng.pick(STREETS)}`,
      address_2: rng.chance(0.3) ? `Suite ${rng.int(100, 900)}` : '',
      city: where[0],
      state: where[1],
      postal_code: `${where[2]}${rng.int(10, 99)}`,
      country: locale.country,
    });
    const main = address([city, state, postalPrefix]);
    const locations: AmcCustomerLocation[] = [{ ship_to_id: String(++shipToSeq), name, ...main, is_main_location: '1' }];
    for (
      let k = rng.weighted([
        [0, 6],
        [1, 3],
        [2, 1],
      ] as const);
      k > 0;
      k--
    ) {
      const where = rng.pick(locale.cities);
      locations.push({ ship_to_id: String(++shipToSeq), name: `${name} - ${where[0]}`, ...address(where), is_main_location: '0' });
    }
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    customers.push({
      customer_id: String(i + 1),
      account_number: accountNumber,
      customer_name: name,
      ...main,
      email: `buyer@${slug}.example.com`,
      phone: `${locale.phonePrefix} 555 ${String(rng.int(0, 9999)).padStart(4, '0')}`,
      terms_id: rng.pick(['1', '2', '3', '4']),
      division_id: setup.divisions[0].id,
      currency_id: setup.currencyIdByCode.get(locale.currency)!,
      price_group: `WHOLESALE ${locale.currency}`,
      status: i === 0 || rng.chance(0.95) ? 'active' : 'inactive',
      joor_customer_code: i === 0 || rng.chance(0.75) ? `JC-${accountNumber}` : '',
      locations,
      last_modified_time: isoSeconds(nowMs - rng.int(0, 365 * 86_400) * 1000),
    });
  }
  return customers;
}

/** Most customers with a JOOR code are already matched on JOOR; the rest wait for JOOR's data team. */
function buildConnections(options: Required<SeedOptions>, customers: AmcCustomer[]): JoorConnection[] {
  const rng = Rng.stream(options.seed, 'connections');
  return customers
    .filter((c, i) => c.joor_customer_code !== '' && (i === 0 || rng.chance(0.9)))
    .map((c) => ({ customer_code: c.joor_customer_code, customer_name: c.customer_name, customer_contact_email: c.email }));
}

// ---------- JOOR orders ----------

type OrderCase = JoorOrder['seed_case'];

function buildOrders(options: Required<SeedOptions>, nowMs: number, startMs: number, setup: Setup, catalog: Catalog, customers: AmcCustomer[], connections: JoorConnection[]): JoorOrder[] {
  const rng = Rng.stream(options.seed, 'orders');
  const currencyById = new Map(setup.currencies.map((c) => [c.id, c.name]));
  const customerByCode = new Map(customers.map((c) => [c.joor_customer_code, c]));
  const orderable = catalog.styles
    .filter((s) => !s.bad && s.product.joor_sync === '1')
    .map((s) => ({
      ...s,
      colors: s.colors.map((c) => ({ ...c, skus: c.skus.filter((k) => k.joor_sync === '1' && k.active === '1') })).filter((c) => c.attribute.joor_sync === '1' && c.skus.length > 0),
    }))
    .filter((s) => s.colors.length > 0);
  const orderableByCurrency = new Map(setup.priceTypes.map((p) => [p.currency_code, orderable.filter((s) => s.priceByCurrency.has(p.currency_code))]));

  // Plan statuses and cases first so every status and every case shows up even in a small feed.
  const plan: Array<{ status: JoorOrderStatus; seedCase: OrderCase }> = [];
  for (let i = 0; i < options.orders; i++) {
    const seedCase =
      i < 4
        ? 'ok'
        : i < 7
          ? (['before-start-date', 'unknown-sku', 'unknown-customer'] as const)[i - 4]
          : rng.weighted([
              ['ok', 82],
              ['before-start-date', 8],
              ['unknown-sku', 5],
              ['unknown-customer', 5],
            ] as const);
    // A problem order is one the integration would otherwise pull, so it is Approved or Shipped.
    const status =
      i < 4
        ? ORDER_STATUSES[i]
        : seedCase !== 'ok'
          ? rng.chance(0.7)
            ? 'Approved'
            : 'Shipped'
          : rng.weighted([
              ['Approved', 45],
              ['Shipped', 25],
              ['Pending', 20],
              ['Cancelled', 10],
            ] as const);
    plan.push({ status, seedCase });
  }
  rng.shuffle(plan);

  return plan.map(({ status, seedCase }, i) => {
    const customerCode = seedCase === 'unknown-customer' ? `JOOR-${rng.int(100_000, 999_999)}` : rng.pick(connections).customer_code;
    const customerCurrency = seedCase === 'unknown-customer' ? 'USD' : currencyById.get(customerByCode.get(customerCode)!.currency_id)!;
    const currency = (orderableByCurrency.get(customerCurrency)?.length ?? 0) > 0 ? customerCurrency : 'USD';
    const rate = setup.rateByCode.get(currency)!;
    const pool = orderableByCurrency.get(currency)!;

    const lines: JoorOrderLine[] = [];
    for (const style of rng.sample(pool, rng.int(1, 3))) {
      const price = style.priceByCurrency.get(currency)!;
      const retail = new Decimal(style.product.retail_price).mul(rate).toFixed(2);
      for (const color of rng.sample(style.colors, rng.int(1, 2))) {
        const before = lines.length;
        for (const sku of color.skus) {
          const quantity = rng.chance(0.75) ? rng.int(1, 12) : 0;
          if (quantity > 0) lines.push(orderLine(style.product.style_number, color.attribute.color_code, sku.upc_display, sku.size, price, retail, quantity));
        }
        if (lines.length === before) {
          const sku = color.skus[0];
          lines.push(orderLine(style.product.style_number, color.attribute.color_code, sku.upc_display, sku.size, price, retail, rng.int(1, 6)));
        }
      }
    }
    if (seedCase === 'unknown-sku') {
      const upc = makeUpcA(UNKNOWN_UPC_PREFIX + String(rng.int(0, 999_999)).padStart(6, '0'));
      lines.push(orderLine(`DISC-${rng.int(1000, 9999)}`, 'BLK', upc, 'M', '25.00', '60.00', rng.int(1, 6)));
    }

    const createdMs = seedCase === 'before-start-date' ? startMs - rng.int(1, 200) * DAY_MS - rng.int(0, 86_399) * 1000 : startMs + rng.int(0, Math.floor((nowMs - startMs) / 1000) - 3600) * 1000;
    // Before-start orders are also last modified before the start date, so a date filter on either field agrees.
    const latestMs = seedCase === 'before-start-date' ? startMs - 1000 : nowMs;
    const approvedMs = status === 'Approved' || status === 'Shipped' || (status === 'Cancelled' && rng.chance(0.5)) ? Math.min(latestMs, createdMs + rng.int(0, 3 * 86_400) * 1000) : null;
    const modifiedMs = Math.min(latestMs, (approvedMs ?? createdMs) + rng.int(0, 5 * 86_400) * 1000);
    const shipStartMs = createdMs + rng.int(30, 120) * DAY_MS;
    const style = pool.find((s) => s.product.style_number === lines[0]?.item_number);
    const season = style?.product.season ?? setup.seasons[2].code;
    return {
      order_id: String(5_000_001 + i),
      status,
      order_currency: currency,
      order_total: lines.reduce((sum, l) => sum.plus(new Decimal(l.item_price).mul(l.item_quantity)), new Decimal(0)).toFixed(2),
      order_season_code: season,
      order_delivery_code: `${season}-D${rng.int(1, 3)}`,
      date_created: isoSeconds(createdMs),
      date_approved: approvedMs === null ? null : isoSeconds(approvedMs),
      date_modified: isoSeconds(modifiedMs),
      date_ship_start: isoDay(shipStartMs),
      date_ship_end: isoDay(shipStartMs + 30 * DAY_MS),
      customer_code: customerCode,
      customer_purchase_order: `PO-${rng.int(100_000, 999_999)}`,
      line_items: lines,
      seed_case: seedCase,
    };
  });
}

function orderLine(styleNumber: string, colorCode: string, upc: string, size: string, price: string, retail: string, quantity: number): JoorOrderLine {
  return {
    item_number: styleNumber,
    item_style_identifier: styleNumber,
    item_color_code: colorCode,
    item_upc: upc,
    item_size: size,
    item_price: price,
    item_retail_price: retail,
    item_quantity: quantity,
  };
}

// ---------- dates ----------

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}
