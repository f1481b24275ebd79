import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import Decimal from 'decimal.js';
import { redisOptionsFromUrl } from '@app/common';
import { jobOptionsFor, QUEUES, type CatalogSyncPayload, type RunStatus } from '@app/contracts';
import { joorSandboxUrls } from '@app/joor-client';
import { ConnectionRepository, type SyncRunEntity } from '@app/persistence';
import type { Brand } from '@app/sandbox-seed';
import { RunRecorder } from '@app/sync-core';
import { CatalogSyncModule } from '../../../apps/catalog-sync/src/catalog-sync.module';
import { loadCatalogSyncTuning } from '../../../apps/catalog-sync/src/catalog-sync.config';
import { startAmcSandbox, type AmcSandboxApp } from './amc-sandbox-app';
import { JOOR_SANDBOX_DEV_CREDENTIALS, startJoorSandbox, type JoorSandboxHarness } from './joor-sandbox-harness';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from './test-database';
import { testConfig } from './test-config';
import { testServices } from './test-services';
import { waitFor } from './wait';

/**
 * JOOR's 300 credits per 300 s would make a 200-style catalog take a quarter of an hour: the
 * stack keeps the budget real but runs both the sandbox and our budget with a 2 s window of
 * 1,000 credits (the same per-second rate x 3.3), so the budget's waits and windows still happen.
 */
export const CATALOG_TEST_WINDOW = { credits: 1000, seconds: 2 };

export interface CatalogStack {
  db: TestDatabase;
  amc: AmcSandboxApp;
  joor: JoorSandboxHarness;
  app: INestApplication;
  queue: Queue;
  connections: ConnectionRepository;
  recorder: RunRecorder;
  /** Creates a connection to both sandboxes; returns its id. */
  connect(name: string, settings?: Record<string, unknown>): Promise<string>;
  /** Waits until the run has ended (succeeded, partial or failed). */
  waitRun(runId: string, timeoutMs?: number): Promise<SyncRunEntity>;
  /** The id of the job `sync` queued last. */
  lastJobId: string | null;
  /** Queues a catalog run as the gateway does and waits until it ends. */
  sync(connectionId: string, payload?: Partial<CatalogSyncPayload>, options?: { backoffMs?: number; timeoutMs?: number }): Promise<SyncRunEntity>;
  close(): Promise<void>;
}

export async function startCatalogStack(label: string, seed: { styles: number; seed: number }): Promise<CatalogStack> {
  const db = await createTestDatabase(`cat_${label}`);
  const closers: Array<() => Promise<unknown>> = [() => db.drop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const amc = await startAmcSandbox(db.url);
    closers.push(() => amc.close());
    await amc.seed({ ...seed, customers: 20, orders: 0 });
    const joor = await startJoorSandbox(`cat_${label}`, { JOOR_SANDBOX_CREDITS_PER_WINDOW: String(CATALOG_TEST_WINDOW.credits), JOOR_SANDBOX_WINDOW_SECONDS: String(CATALOG_TEST_WINDOW.seconds) });
    closers.push(() => joor.close());
    await joor.seed({ ...seed, orders: 0, customers: 20 });
    const queuePrefix = testQueuePrefix(`cat-${label}`);
    const config = testConfig('catalog-sync', {
      databaseUrl: db.url,
      queuePrefix,
      extra: {
        AMC_REQUESTS_PER_SECOND: '50',
        JOOR_CREDITS_PER_WINDOW: String(CATALOG_TEST_WINDOW.credits),
        JOOR_CREDIT_WINDOW_SECONDS: String(CATALOG_TEST_WINDOW.seconds),
        JOOR_CREDIT_SAFETY: '5',
        JOOR_CREDIT_MARGIN_MS: '100',
        JOOR_CREDIT_RESERVE_RELEASE_MS: '200',
        JOOR_RATE_RESET_PRECISION_MS: '1',
      },
    });
    const moduleRef = await Test.createTestingModule({ imports: [CatalogSyncModule.register(config, { ...loadCatalogSyncTuning({}), busyRetryMs: 300 })] }).compile();
    const app = moduleRef.createNestApplication({ logger: process.env.CATALOG_TEST_LOGS ? ['error', 'warn', 'log'] : false });
    await app.init();
    closers.push(() => app.close());
    const queue = new Queue(QUEUES.catalog, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
    closers.push(async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    });
    const connections = app.get(ConnectionRepository);
    const recorder = app.get(RunRecorder);
    let jobSeq = 0;
    const waitRun = async (runId: string, timeoutMs = 100_000): Promise<SyncRunEntity> => {
      let last: SyncRunEntity | null = null;
      await waitFor(
        `catalog run ${runId} to end`,
        async () => {
          last = await recorder.find(runId);
          return !!last && (['succeeded', 'partial', 'failed'] as RunStatus[]).includes(last.status);
        },
        timeoutMs,
        200,
      );
      return last!;
    };
    const stack: CatalogStack = {
      db,
      amc,
      joor,
      app,
      queue,
      connections,
      recorder,
      waitRun,
      lastJobId: null,
      async connect(name, settings = {}) {
        const urls = joorSandboxUrls(joor.url);
        const connection = await connections.create(
          { name, amcBaseUrl: amc.url, joorAuthUrl: urls.auth, joorV4BaseUrl: urls.v4, joorV2BaseUrl: urls.v2, joorAccountId: joor.accountId, joorClientId: JOOR_SANDBOX_DEV_CREDENTIALS.clientId, joorUsername: JOOR_SANDBOX_DEV_CREDENTIALS.username },
          { amcToken: amc.token, joorClientSecret: JOOR_SANDBOX_DEV_CREDENTIALS.clientSecret, joorPassword: JOOR_SANDBOX_DEV_CREDENTIALS.password, joorV2Token: joor.config.v2Token },
          { defaultCurrency: 'USD', ...settings },
        );
        return connection.id;
      },
      async sync(connectionId, payload = {}, options = {}) {
        const run = await recorder.queue(connectionId, 'styles', 'manual', { full: payload.full ?? false, styleNumbers: payload.styleNumbers ?? null });
        const defaults = jobOptionsFor(QUEUES.catalog, 'catalog.sync');
        const jobId = `test-run-${run.id}-${++jobSeq}`;
        stack.lastJobId = jobId;
        await queue.add(
          'catalog.sync',
          { connectionId, runId: run.id, trigger: 'manual', ...payload },
          { ...defaults, jobId, ...(options.backoffMs !== undefined ? { backoff: { type: 'fixed', delay: options.backoffMs } } : {}) },
        );
        return waitRun(run.id, options.timeoutMs);
      },
      close,
    };
    return stack;
  } catch (err) {
    await close();
    throw err;
  }
}

// ---------- what JOOR should hold, from the seeded brand alone ----------

export interface ExpectedCatalog {
  /** external_id -> name */
  products: Map<string, string>;
  /** `<style external id>|<color>|<size>` -> upc */
  skus: Map<string, string>;
  /** `<color>|<size>|<style>|<currency>` -> `wholesale/retail` */
  prices: Map<string, string>;
  /** season code -> style external ids in AMC order */
  collections: Map<string, string[]>;
}

/**
 * The JOOR catalog the brand's AMC side should become (issue 4's rules), computed independently
 * of the mapper: flagged good styles, their flagged active SKUs, a price per price group in a
 * currency JOOR has a price type for (retail = MSRP x rate, half-up to cents), one linesheet per season.
 */
export function expectedCatalog(brand: Brand, currencies = brand.amc.currencies): ExpectedCatalog {
  const bad = new Set(brand.expectations.badStyles.map((b) => b.product_id));
  const priced = new Set(brand.joor.priceTypes.map((p) => p.currency_code));
  const codeOf = new Map(currencies.map((c) => [c.id, c]));
  const out: ExpectedCatalog = { products: new Map(), skus: new Map(), prices: new Map(), collections: new Map() };
  const skusOf = new Map<string, typeof brand.amc.skus>();
  for (const sku of brand.amc.skus) skusOf.set(sku.product_id, [...(skusOf.get(sku.product_id) ?? []), sku]);
  const colorSynced = new Set(brand.amc.attributes.filter((a) => a.joor_sync === '1').map((a) => `${a.product_id}|${a.attribute_2}`));
  for (const product of brand.amc.products) {
    if (product.joor_sync !== '1' || bad.has(product.product_id)) continue;
    out.products.set(product.style_number, product.description || product.web_title);
    out.collections.set(product.season, [...(out.collections.get(product.season) ?? []), product.style_number]);
    for (const sku of skusOf.get(product.product_id) ?? []) {
      if (sku.joor_sync !== '1' || sku.active !== '1' || !colorSynced.has(`${product.product_id}|${sku.attr_2}`)) continue;
      out.skus.set(`${product.style_number}|${sku.attr_2}|${sku.size}`, sku.upc_display);
      const seen = new Set<string>();
      for (const group of product.price_groups) {
        const currency = codeOf.get(group.currency_id)!;
        if (!priced.has(currency.name) || seen.has(currency.name)) continue;
        seen.add(currency.name);
        const retail = new Decimal(product.retail_price).mul(currency.is_default === '1' ? 1 : new Decimal(currency.rate)).toFixed(2, Decimal.ROUND_HALF_UP);
        out.prices.set(`${product.style_number}|${sku.attr_2}|${sku.size}|${currency.name}`, `${new Decimal(group.price).toFixed(2)}/${retail}`);
      }
    }
  }
  return out;
}

interface JoorState {
  products: Array<{ id: number; external_id: string; name: string }>;
  skus: Array<{ id: number; product_id: number; status: string; trait_values: Array<{ trait_id: number | string; value: string }>; identifiers: Array<{ type: string; value: string }> }>;
  prices: Array<{ sku_id: number; currency_code: string; wholesale_value: string; retail_value: string | null }>;
  collections: Array<{ id: number; external_id: string | null; name: string; items: Array<{ product_id: number }>; created_by_api: boolean }>;
}

/** What the JOOR sandbox holds, in the same shape as ExpectedCatalog (ACTIVE SKUs and their prices only). */
export async function actualCatalog(joor: JoorSandboxHarness): Promise<ExpectedCatalog & { raw: JoorState }> {
  const raw: JoorState = {
    products: await joor.control('GET', 'state/products'),
    skus: await joor.control('GET', 'state/skus'),
    prices: await joor.control('GET', 'state/prices'),
    collections: await joor.control('GET', 'state/collections'),
  };
  const productById = new Map(raw.products.map((p) => [p.id, p]));
  const skuKey = new Map<number, string>();
  const out: ExpectedCatalog = { products: new Map(raw.products.map((p) => [p.external_id, p.name])), skus: new Map(), prices: new Map(), collections: new Map() };
  for (const sku of raw.skus) {
    if (sku.status !== 'ACTIVE') continue;
    const color = sku.trait_values.find((t) => Number(t.trait_id) === 1001)?.value;
    const size = sku.trait_values.find((t) => Number(t.trait_id) === 1002)?.value;
    const key = `${productById.get(sku.product_id)?.external_id}|${color}|${size}`;
    skuKey.set(sku.id, key);
    out.skus.set(key, sku.identifiers.find((i) => i.type === 'upc')?.value ?? '');
  }
  for (const price of raw.prices) {
    const key = skuKey.get(price.sku_id);
    if (key) out.prices.set(`${key}|${price.currency_code}`, `${price.wholesale_value}/${price.retail_value}`);
  }
  for (const c of raw.collections) {
    if (!c.created_by_api || !c.external_id?.startsWith('amc-season-')) continue;
    if (c.items.length) out.collections.set(c.external_id.slice('amc-season-'.length), c.items.map((i) => productById.get(i.product_id)?.external_id ?? `?${i.product_id}`));
  }
  return { ...out, raw };
}
