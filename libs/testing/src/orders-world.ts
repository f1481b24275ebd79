import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEV_DEFAULTS, parseKey256, redisOptionsFromUrl } from '@app/common';
import { addJob, buildJobId, isFinalRunStatus, ORDERS_POLL_JOB, QUEUES, type ConnectionSettings } from '@app/contracts';
import { ConnectionEntity, ConnectionRepository, SecretCipher, buildDataSourceOptions } from '@app/persistence';
import { generateBrand, type Brand, type JoorOrder } from '@app/sandbox-seed';
import { startAmcSandbox, type AmcSandboxApp } from './amc-sandbox-app';
import { startJoorSandbox, type JoorSandboxHarness } from './joor-sandbox-harness';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from './test-database';
import { testServices } from './test-services';
import { waitFor } from './wait';

/** An AMC order as the AMC sandbox's state shows it (every scalar a string). */
export interface AmcOrderState {
  order_id: string;
  joor_id: string;
  customer_id: string;
  customer_po: string;
  currency_id: string;
  warehouse_id: string;
  date_start: string;
  date_due: string;
  order_items: Array<{ sku_id: string; qty: string; unit_price: string; amount: string; style_number: string; attr_2: string; size: string }>;
}

/** A JOOR order as the JOOR sandbox's state shows it (the v2 feed record). */
export interface JoorOrderState {
  order_id: string;
  order_status: string;
  export_status: string | null;
  export_description: string | null;
}

export interface RunRow {
  id: string;
  status: string;
  trigger: string;
  count_created: number;
  count_unchanged: number;
  count_failed: number;
  credits_spent: number;
  progress_done: number;
  progress_total: number | null;
  error: string | null;
  details: Record<string, unknown>;
}

export interface OrdersWorldOptions {
  styles: number;
  seed: number;
  orders: number;
  customers?: number;
  /** JOOR_SANDBOX_* variables (credit window, fault timings). */
  joorEnv?: Record<string, string>;
}

/**
 * Everything an order-ingest e2e test stands on: a migrated database of its own (which also holds
 * the AMC sandbox's schema), both sandboxes seeded with the same brand, a queue prefix of its own,
 * and helpers to create connections, enqueue polls and read both sandboxes' state over HTTP.
 */
export class OrdersWorld {
  private readonly pg: Client;
  private readonly cipher = new SecretCipher(parseKey256(DEV_DEFAULTS.SECRETS_ENCRYPTION_KEY));

  private constructor(
    readonly db: TestDatabase,
    readonly amc: AmcSandboxApp,
    readonly joor: JoorSandboxHarness,
    readonly brand: Brand,
    readonly queuePrefix: string,
    private readonly dataSource: DataSource,
    private readonly redis: Redis,
    private readonly queues: Map<string, Queue>,
    private readonly seedOptions: { styles: number; seed: number; orders: number; customers?: number },
  ) {
    this.pg = new Client({ connectionString: db.url });
  }

  static async start(label: string, options: OrdersWorldOptions): Promise<OrdersWorld> {
    const db = await createTestDatabase(`orders_${label}`);
    const cleanup: Array<() => Promise<unknown>> = [() => db.drop()];
    try {
      const amc = await startAmcSandbox(db.url);
      cleanup.unshift(() => amc.close());
      const joor = await startJoorSandbox(`orders_${label}`, { JOOR_SANDBOX_FAULT_TIMEOUT_MS: '2000', JOOR_SANDBOX_FAULT_SLOW_MS: '200', ...options.joorEnv });
      cleanup.unshift(() => joor.close());
      const seed = { styles: options.styles, seed: options.seed, orders: options.orders, ...(options.customers ? { customers: options.customers } : {}) };
      await amc.seed(seed);
      await joor.seed(seed);
      const dataSource = new DataSource(buildDataSourceOptions(db.url, { applicationName: 'orders-world', poolSize: 2 }));
      await dataSource.initialize();
      cleanup.unshift(() => dataSource.destroy());
      const redis = new Redis(redisOptionsFromUrl(testServices().redisUrl, { connectionName: 'orders-world', maxRetriesPerRequest: null }));
      const world = new OrdersWorld(db, amc, joor, generateBrand(seed), testQueuePrefix(label), dataSource, redis, new Map(), seed);
      await world.pg.connect();
      return world;
    } catch (err) {
      for (const step of cleanup) await step().catch(() => undefined);
      throw err;
    }
  }

  /** The settings a brand would give, from the seeded brand's own set-up. */
  brandSettings(over: Partial<ConnectionSettings> = {}): Partial<ConnectionSettings> {
    const { settings } = this.brand.amc;
    return {
      amcWarehouseId: settings.amcWarehouseId,
      divisionId: settings.divisionId,
      defaultCurrency: settings.defaultCurrency,
      joorWarehouseName: settings.joorWarehouseName,
      orderStartDate: this.brand.joor.orderStartDate,
      orderType: 'approved_and_shipped',
      ...over,
    };
  }

  /** A connection to both sandboxes, stored as the gateway stores it (no schedule). */
  async createConnection(name: string, settings: Partial<ConnectionSettings> = this.brandSettings()): Promise<string> {
    const repo = new ConnectionRepository(this.dataSource.getRepository(ConnectionEntity), this.cipher);
    const { config } = this.joor;
    const entity = await repo.create(
      {
        name,
        amcBaseUrl: `${this.amc.url}/api/json`,
        joorV2BaseUrl: `${this.joor.url}/v2`,
        joorV4BaseUrl: `${this.joor.url}/v4`,
        joorAuthUrl: `${this.joor.url}/auth/`,
        joorAccountId: this.joor.accountId,
        joorClientId: config.clientId,
        joorUsername: config.username,
      },
      { amcToken: this.amc.token, joorClientSecret: config.clientSecret, joorPassword: config.password, joorV2Token: config.v2Token },
      settings,
    );
    return entity.id;
  }

  /** The JOOR orders that must end in AMC under these settings: good ones, in the statuses asked for, dated on or after the start. */
  expectedInAmc(settings: Partial<ConnectionSettings> = this.brandSettings()): JoorOrder[] {
    const statuses = settings.orderType === 'approved' ? ['Approved'] : settings.orderType === 'shipped' ? ['Shipped'] : ['Approved', 'Shipped'];
    return this.brand.joor.orders.filter((o) => o.seed_case === 'ok' && statuses.includes(o.status) && (!settings.orderStartDate || o.date_created.slice(0, 10) >= settings.orderStartDate));
  }

  /** The JOOR orders that must end Failed: problem orders in the statuses asked for, dated on or after the start. */
  expectedFailed(settings: Partial<ConnectionSettings> = this.brandSettings()): JoorOrder[] {
    const statuses = settings.orderType === 'approved' ? ['Approved'] : settings.orderType === 'shipped' ? ['Shipped'] : ['Approved', 'Shipped'];
    return this.brand.joor.orders.filter((o) => (o.seed_case === 'unknown-sku' || o.seed_case === 'unknown-customer') && statuses.includes(o.status));
  }

  async amcOrders(): Promise<AmcOrderState[]> {
    const res = await fetch(`${this.amc.url}/_sandbox/state/orders`);
    if (!res.ok) throw new Error(`AMC state/orders answered ${res.status}`);
    return (await res.json()) as AmcOrderState[];
  }

  async joorOrders(): Promise<Map<string, JoorOrderState>> {
    const orders = (await this.joor.control('GET', 'state/orders')) as JoorOrderState[];
    return new Map(orders.map((o) => [String(o.order_id), o]));
  }

  /** AMC order count per JOOR id. */
  async amcCountByJoorId(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const order of await this.amcOrders()) counts.set(order.joor_id, (counts.get(order.joor_id) ?? 0) + 1);
    return counts;
  }

  /** Both sandboxes back to the freshly seeded brand (AMC without orders, JOOR orders unexported). */
  async reseed(): Promise<void> {
    await this.amc.seed(this.seedOptions);
    await this.joor.seed(this.seedOptions);
  }

  /** The order-ingest queue under the world's prefix, or under another one (e.g. one per process generation). */
  queue(prefix = this.queuePrefix): Queue {
    let queue = this.queues.get(prefix);
    if (!queue) {
      queue = new Queue(QUEUES.order, { connection: this.redis, prefix });
      this.queues.set(prefix, queue);
    }
    return queue;
  }

  /** Enqueues a poll as the schedule does (the handler opens its own run); answers the run once it exists. */
  async enqueuePoll(connectionId: string, trigger: 'schedule' | 'manual' = 'manual', prefix = this.queuePrefix): Promise<string> {
    const queue = this.queue(prefix);
    const job = await addJob(queue, QUEUES.order, ORDERS_POLL_JOB, { connectionId, trigger }, { jobId: buildJobId('test-poll', randomUUID()), attempts: 3, backoff: { type: 'fixed', delay: 500 } });
    return waitFor(
      'the poll to open its run',
      async () => {
        const fresh = await queue.getJob(job.id!);
        return (fresh?.data as { runId?: string } | undefined)?.runId;
      },
      30_000,
      100,
    );
  }

  /** Waits until the run has ended (succeeded, partial or failed) and answers it. */
  async runEnded(runId: string, timeoutMs = 60_000): Promise<RunRow> {
    return waitFor(
      `run ${runId} to end`,
      async () => {
        const run = await this.run(runId);
        return run && isFinalRunStatus(run.status) ? run : null;
      },
      timeoutMs,
      150,
    );
  }

  /** Polls once and waits for the end. */
  async poll(connectionId: string, timeoutMs?: number, prefix = this.queuePrefix): Promise<RunRow> {
    return this.runEnded(await this.enqueuePoll(connectionId, 'manual', prefix), timeoutMs);
  }

  async run(runId: string): Promise<RunRow | null> {
    const { rows } = await this.pg.query(`SELECT * FROM sync_run WHERE id = $1`, [runId]);
    return (rows[0] as RunRow | undefined) ?? null;
  }

  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query(text, params)).rows as T[];
  }

  async close(): Promise<void> {
    for (const [prefix, queue] of this.queues) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      const keys = await this.redis.keys(`${prefix}*`);
      if (keys.length > 0) await this.redis.del(...keys);
    }
    const keys = await this.redis.keys(`${this.queuePrefix}*`);
    if (keys.length > 0) await this.redis.del(...keys);
    this.redis.disconnect();
    await this.pg.end();
    await this.dataSource.destroy();
    await this.joor.close();
    await this.amc.close();
    await this.db.drop();
  }
}
