import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { AmcClient } from '@app/amc-client';
import { redisOptionsFromUrl } from '@app/common';
import { addJob, isFinalRunStatus, QUEUES, SYNC_QUEUE_NAMES, type ConnectionSettings, type CustomerSyncPayload } from '@app/contracts';
import { joorSandboxUrls } from '@app/joor-client';
import { ConnectionRepository, CustomerStateRepository, SyncRunRepository, type CustomerStateRow, type SyncRunEntity } from '@app/persistence';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import { loadCustomerSyncTuning } from '../../../apps/customer-sync/src/customer-sync.config';
import { CustomerSyncModule } from '../../../apps/customer-sync/src/customer-sync.module';
import type { CustomerSyncTuning } from '../../../apps/customer-sync/src/customers/customer-sync.tuning';
import { startAmcSandbox, type AmcSandboxApp } from './amc-sandbox-app';
import { CATALOG_TEST_WINDOW } from './catalog-sync-stack';
import { JOOR_SANDBOX_DEV_CREDENTIALS, startJoorSandbox, type JoorSandboxHarness } from './joor-sandbox-harness';
import { startOrderIngestApp, startOrdersGateway } from './orders-apps';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from './test-database';
import { testConfig } from './test-config';
import { testServices } from './test-services';
import { waitFor } from './wait';

/** A JOOR customer as the JOOR sandbox's state shows it (what was sent, merged over what JOOR had). */
export interface JoorCustomerState {
  customer_code: string;
  customer_name: string;
  connection_status: 'Connected' | 'Pending';
  customer_contact_name?: string;
  customer_contact_email?: string;
  customer_group_name?: string;
  sales_rep_code?: string;
  billing_address?: Record<string, string>;
  shipping_addresses?: Array<Record<string, string>>;
  updated_at: string;
}

export interface CustomerStackOptions {
  seed: { styles: number; seed: number; customers: number; orders?: number };
  /** JOOR_SANDBOX_* variables (dialect, connection log form, approval delay). */
  joorEnv?: Record<string, string>;
  /** customer-sync's tuning beyond the stack's (e.g. fewer customers per call, for more calls). */
  tuning?: Partial<CustomerSyncTuning>;
  /** Also run the gateway in this process, with a scheduled "minute" of this many ms. */
  gatewayMinuteMs?: number;
  /** Also run order-ingest in this process. */
  orderIngest?: boolean;
}

export interface CustomerStack {
  db: TestDatabase;
  queuePrefix: string;
  amc: AmcSandboxApp;
  /** AMC's own API, as a person or another system changes customers. */
  amcApi: AmcClient;
  joor: JoorSandboxHarness;
  /** The seeded brand (both sandboxes start from it). */
  brand: Brand;
  app: INestApplication;
  queue: Queue;
  gateway: { app: INestApplication; url: string } | null;
  ingest: INestApplication | null;
  connections: ConnectionRepository;
  recorder: SyncRunRepository;
  states: CustomerStateRepository;
  /** A connection to both sandboxes with the brand's own settings and these; returns its id. */
  connect(name: string, settings?: Partial<ConnectionSettings>): Promise<string>;
  /** Queues a customer run as the gateway does and waits until it ends. */
  sync(connectionId: string, payload?: Partial<CustomerSyncPayload>, options?: { backoffMs?: number; timeoutMs?: number }): Promise<SyncRunEntity>;
  waitRun(runId: string, timeoutMs?: number): Promise<SyncRunEntity>;
  /** Every customer row of the connection, by AMC id. */
  stateOf(connectionId: string): Promise<Map<string, CustomerStateRow>>;
  /** JOOR's customers as the sandbox holds them, by code. */
  joorCustomers(): Promise<Map<string, JoorCustomerState>>;
  close(): Promise<void>;
}

/**
 * Everything a customer-sync e2e test stands on: a migrated database of its own, both sandboxes seeded
 * with the same brand (AMC's customers, some with JOOR codes; JOOR's customers, most of those coded),
 * customer-sync in this process (and, when asked, the gateway and order-ingest) on a queue prefix of
 * its own, JOOR's budget real but with the catalog stack's short window.
 */
export async function startCustomerStack(label: string, options: CustomerStackOptions): Promise<CustomerStack> {
  const db = await createTestDatabase(`cust_${label}`);
  const closers: Array<() => Promise<unknown>> = [() => db.drop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const seed = { orders: 0, ...options.seed };
    const amc = await startAmcSandbox(db.url);
    closers.push(() => amc.close());
    await amc.seed(seed);
    const joor = await startJoorSandbox(`cust_${label}`, {
      JOOR_SANDBOX_CREDITS_PER_WINDOW: String(CATALOG_TEST_WINDOW.credits),
      JOOR_SANDBOX_WINDOW_SECONDS: String(CATALOG_TEST_WINDOW.seconds),
      JOOR_SANDBOX_FAULT_TIMEOUT_MS: '1500',
      ...options.joorEnv,
    });
    closers.push(() => joor.close());
    await joor.seed(seed);
    const queuePrefix = testQueuePrefix(`cust-${label}`);
    const extra = {
      AMC_REQUESTS_PER_SECOND: '50',
      JOOR_CREDITS_PER_WINDOW: String(CATALOG_TEST_WINDOW.credits),
      JOOR_CREDIT_WINDOW_SECONDS: String(CATALOG_TEST_WINDOW.seconds),
      JOOR_CREDIT_SAFETY: '5',
      JOOR_CREDIT_MARGIN_MS: '100',
      JOOR_CREDIT_RESERVE_RELEASE_MS: '200',
      JOOR_RATE_RESET_PRECISION_MS: '1',
    };
    const config = testConfig('customer-sync', { databaseUrl: db.url, queuePrefix, extra });
    const tuning: CustomerSyncTuning = { ...loadCustomerSyncTuning({}), busyRetryMs: 300, pendingRecheckMs: 0, ...options.tuning };
    const moduleRef = await Test.createTestingModule({ imports: [CustomerSyncModule.register(config, tuning)] }).compile();
    const app = moduleRef.createNestApplication({ logger: process.env.CUSTOMER_TEST_LOGS ? ['error', 'warn', 'log'] : false });
    await app.init();
    closers.push(() => app.close());
    const queue = new Queue(QUEUES.customer, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
    closers.push(async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    });
    const env = { databaseUrl: db.url, queuePrefix, extra };
    let gateway: CustomerStack['gateway'] = null;
    if (options.gatewayMinuteMs !== undefined) {
      gateway = await startOrdersGateway(env, options.gatewayMinuteMs);
      const started = gateway;
      closers.push(async () => {
        await started.app.close();
        // Schedules the gateway set enqueue into every service's queue: clear them all with the stack.
        for (const name of SYNC_QUEUE_NAMES.filter((q) => q !== QUEUES.customer)) {
          const other = new Queue(name, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
          await other.obliterate({ force: true }).catch(() => undefined);
          await other.close();
        }
      });
    }
    let ingest: INestApplication | null = null;
    if (options.orderIngest) {
      ingest = await startOrderIngestApp(env, { ORDER_INGEST_TRANSIENT_DELAY_MS: '200' });
      const started = ingest;
      closers.push(async () => {
        await started.close();
        if (gateway) return;
        const orders = new Queue(QUEUES.order, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
        await orders.obliterate({ force: true }).catch(() => undefined);
        await orders.close();
      });
    }
    const brand = generateBrand(seed);
    const connections = app.get(ConnectionRepository);
    const recorder = app.get(SyncRunRepository);
    const states = app.get(CustomerStateRepository);
    let jobSeq = 0;
    const waitRun = async (runId: string, timeoutMs = 100_000): Promise<SyncRunEntity> =>
      waitFor(
        `customer run ${runId} to end`,
        async () => {
          const run = await recorder.findById(runId);
          return run && isFinalRunStatus(run.status) ? run : null;
        },
        timeoutMs,
        150,
      );
    return {
      db,
      queuePrefix,
      amc,
      amcApi: new AmcClient({ baseUrl: amc.url, token: amc.token, requestsPerSecond: 50 }),
      joor,
      brand,
      app,
      queue,
      gateway,
      ingest,
      connections,
      recorder,
      states,
      waitRun,
      async connect(name, settings = {}) {
        const urls = joorSandboxUrls(joor.url);
        const { settings: own } = brand.amc;
        const connection = await connections.create(
          {
            name,
            amcBaseUrl: `${amc.url}/api/json`,
            joorAuthUrl: urls.auth,
            joorV4BaseUrl: urls.v4,
            joorV2BaseUrl: urls.v2,
            joorAccountId: joor.accountId,
            joorClientId: JOOR_SANDBOX_DEV_CREDENTIALS.clientId,
            joorUsername: JOOR_SANDBOX_DEV_CREDENTIALS.username,
          },
          { amcToken: amc.token, joorClientSecret: JOOR_SANDBOX_DEV_CREDENTIALS.clientSecret, joorPassword: JOOR_SANDBOX_DEV_CREDENTIALS.password, joorV2Token: joor.config.v2Token },
          {
            amcWarehouseId: own.amcWarehouseId,
            divisionId: own.divisionId,
            defaultCurrency: own.defaultCurrency,
            joorWarehouseName: own.joorWarehouseName,
            orderStartDate: brand.joor.orderStartDate,
            orderType: 'approved_and_shipped',
            ...settings,
          },
        );
        return connection.id;
      },
      async sync(connectionId, payload = {}, opts = {}) {
        const run = await recorder.queue(connectionId, 'customers', 'manual', { full: payload.full ?? false, codes: payload.codes ?? null });
        await addJob(
          queue,
          QUEUES.customer,
          'customer.sync',
          { connectionId, runId: run.id, trigger: 'manual', ...payload },
          { jobId: `test-customers-${run.id}-${++jobSeq}`, ...(opts.backoffMs !== undefined ? { backoff: { type: 'fixed', delay: opts.backoffMs } } : {}) },
        );
        return waitRun(run.id, opts.timeoutMs);
      },
      async stateOf(connectionId) {
        const { items } = await states.list(connectionId, { limit: 100_000, offset: 0 });
        return new Map(items.map((row) => [row.amcCustomerId, row]));
      },
      async joorCustomers() {
        const rows = (await joor.control('GET', 'state/connections')) as JoorCustomerState[];
        return new Map(rows.map((row) => [row.customer_code, row]));
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
