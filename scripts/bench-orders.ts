import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEV_DEFAULTS, loadConfig, parseKey256, redisOptionsFromUrl, type ServiceName } from '@app/common';
import { addJob, buildJobId, isFinalRunStatus, ORDERS_POLL_JOB, QUEUES } from '@app/contracts';
import { ConnectionEntity, ConnectionRepository, SecretCipher, SyncRunEntity, buildDataSourceOptions, runMigrations } from '@app/persistence';
import { generateBrand } from '@app/sandbox-seed';
import { AmcSandboxModule } from '../apps/amc-sandbox/src/amc-sandbox.module';
import { loadAmcSandboxConfig } from '../apps/amc-sandbox/src/amc-sandbox.config';
import { configureJoorSandbox } from '../apps/joor-sandbox/src/configure-joor-sandbox';
import { loadJoorSandboxConfig } from '../apps/joor-sandbox/src/joor-sandbox.config';
import { JoorSandboxModule } from '../apps/joor-sandbox/src/joor-sandbox.module';
import { loadOrderIngestConfig } from '../apps/order-ingest/src/order-ingest.config';
import { OrderIngestModule } from '../apps/order-ingest/src/order-ingest.module';

/**
 * `npm run bench:orders -- --orders N [--styles S] [--seed X]`: seeds N JOOR orders (and the
 * brand they reference) into both sandboxes, ingests them with order-ingest (all three in this
 * process, against the PostgreSQL and Redis of DATABASE_URL / REDIS_URL, in a database of its own
 * that is dropped at the end), and prints
 *   1. orders per second with JOOR's credit limit lifted (and AMC's polite rate at its highest),
 *   2. JOOR credits per order with a limit in force (a shortened window),
 *   3. duplicates in AMC (must be 0) and good orders missing from AMC (must be 0), for both passes.
 */

// A shortened JOOR window that binds: 30 credits per 5 s (JOOR's own is 300 per 300 s).
const LIMITED = { credits: 30, windowSeconds: 5 };
const LIFTED_CREDITS = 1_000_000;

interface Args {
  orders: number;
  styles: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const read = (flag: string): number | undefined => {
    const at = argv.findIndex((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
    if (at < 0) return undefined;
    const raw = argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a whole number of at least 1`);
    return value;
  };
  const orders = read('orders') ?? 1_000;
  return { orders, styles: read('styles') ?? Math.max(20, Math.min(500, Math.round(orders / 10))), seed: read('seed') ?? 42 };
}

interface PassResult {
  seconds: number;
  status: string;
  created: number;
  failed: number;
  creditsRun: number;
  creditsJoor: number;
  duplicates: number;
  missing: number;
  inAmc: number;
  amcCalls: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? DEV_DEFAULTS.REDIS_URL;
  const dbName = `bench_orders_${randomBytes(4).toString('hex')}`;
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const runTag = randomBytes(3).toString('hex');
  const prefixes: string[] = [];
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const apps: INestApplication[] = [];
  const redis = new Redis(redisOptionsFromUrl(redisUrl, { connectionName: 'bench-orders', maxRetriesPerRequest: null }));
  const dataSource = new DataSource(buildDataSourceOptions(dbUrl, { applicationName: 'bench-orders', poolSize: 2 }));
  try {
    await runMigrations(dbUrl);
    await dataSource.initialize();
    const brandOptions = { styles: args.styles, seed: args.seed, orders: args.orders };
    const brand = generateBrand(brandOptions);
    const settings = {
      amcWarehouseId: brand.amc.settings.amcWarehouseId,
      divisionId: brand.amc.settings.divisionId,
      defaultCurrency: brand.amc.settings.defaultCurrency,
      orderStartDate: brand.joor.orderStartDate,
      orderType: 'approved_and_shipped' as const,
    };
    const good = brand.joor.orders.filter((o) => o.seed_case === 'ok' && (o.status === 'Approved' || o.status === 'Shipped'));
    const problems = brand.joor.orders.filter((o) => (o.seed_case === 'unknown-sku' || o.seed_case === 'unknown-customer') && (o.status === 'Approved' || o.status === 'Shipped'));
    console.log(
      `bench:orders  ${args.orders} JOOR orders (${good.length} good Approved/Shipped, ${problems.length} with an unknown SKU or customer, the rest Pending/Cancelled/before the start date), ${args.styles} styles, seed ${args.seed}`,
    );

    const base = (service: ServiceName, prefix: string, extra: Record<string, string> = {}) =>
      loadConfig(service, { NODE_ENV: 'development', PORT: '0', DATABASE_URL: dbUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: 'error', ...extra });
    const listen = async (app: INestApplication): Promise<string> => {
      apps.push(app);
      await app.listen(0, '127.0.0.1');
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    };

    const amcSandbox = loadAmcSandboxConfig({ AMC_SANDBOX_SEED_STYLES: '0' });
    const amcUrl = await listen(await NestFactory.create(AmcSandboxModule.register(base('amc-sandbox', `bench-orders-${runTag}`), amcSandbox), { logger: false }));

    const pass = async (label: string, credits: number, windowSeconds: number, amcRate: number): Promise<PassResult> => {
      // A prefix per pass: the credit budget in Redis keeps its window, which must not carry over from the other pass's settings.
      const prefix = `bench-orders-${runTag}-${label}`;
      prefixes.push(prefix);
      const joorConfig = loadJoorSandboxConfig({
        JOOR_SANDBOX_SEED_STYLES: '1',
        JOOR_SANDBOX_FETCH_ASSETS: 'false',
        JOOR_SANDBOX_CREDITS_PER_WINDOW: String(credits),
        JOOR_SANDBOX_WINDOW_SECONDS: String(windowSeconds),
      });
      const joorApp = await NestFactory.create(JoorSandboxModule.register(base('joor-sandbox', prefix), joorConfig), { logger: false });
      configureJoorSandbox(joorApp);
      const joorUrl = await listen(joorApp);
      await post(`${amcUrl}/_sandbox/seed`, brandOptions);
      const seeded = (await post(`${joorUrl}/_sandbox/seed`, brandOptions)) as { accountId: string };
      await fetch(`${joorUrl}/_sandbox/calls`, { method: 'DELETE' });
      await fetch(`${amcUrl}/_sandbox/calls`, { method: 'DELETE' });
      await fetch(`${joorUrl}/_sandbox/credits`, { method: 'DELETE' });

      const ingestConfig = base('order-ingest', prefix, { JOOR_CREDITS_PER_WINDOW: String(credits), JOOR_CREDIT_WINDOW_SECONDS: String(windowSeconds), AMC_REQUESTS_PER_SECOND: String(amcRate) });
      const ingest = await NestFactory.create(OrderIngestModule.register(ingestConfig, loadOrderIngestConfig({})), { logger: ['error'] });
      await listen(ingest);

      const connections = new ConnectionRepository(dataSource.getRepository(ConnectionEntity), new SecretCipher(parseKey256(DEV_DEFAULTS.SECRETS_ENCRYPTION_KEY)));
      const connection = await connections.create(
        {
          name: `bench ${label}`,
          amcBaseUrl: `${amcUrl}/api/json`,
          joorV2BaseUrl: `${joorUrl}/v2`,
          joorV4BaseUrl: `${joorUrl}/v4`,
          joorAuthUrl: `${joorUrl}/auth/`,
          joorAccountId: seeded.accountId,
          joorClientId: joorConfig.clientId,
          joorUsername: joorConfig.username,
        },
        { amcToken: amcSandbox.token, joorClientSecret: joorConfig.clientSecret, joorPassword: joorConfig.password, joorV2Token: joorConfig.v2Token },
        settings,
      );

      const queue = new Queue(QUEUES.order, { connection: redis, prefix });
      const started = Date.now();
      const job = await addJob(queue, QUEUES.order, ORDERS_POLL_JOB, { connectionId: connection.id, trigger: 'manual' }, { jobId: buildJobId('bench', label, connection.id), attempts: 1 });
      let run: SyncRunEntity | null;
      for (;;) {
        const runId = ((await queue.getJob(job.id!))?.data as { runId?: string } | undefined)?.runId;
        if (runId) {
          run = await dataSource.getRepository(SyncRunEntity).findOneBy({ id: runId });
          if (run && isFinalRunStatus(run.status)) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const seconds = (Date.now() - started) / 1000;
      await queue.close();

      const amcOrders = (await (await fetch(`${amcUrl}/_sandbox/state/orders`)).json()) as Array<{ joor_id: string }>;
      const perJoorId = new Map<string, number>();
      for (const order of amcOrders) perJoorId.set(order.joor_id, (perJoorId.get(order.joor_id) ?? 0) + 1);
      const calls = (await (await fetch(`${joorUrl}/_sandbox/calls`)).json()) as { calls: Array<{ credits: number }> };
      const amcCalls = (await (await fetch(`${amcUrl}/_sandbox/calls`)).json()) as { calls: Array<{ method: string; path: string; durationMs: number }> };
      if (process.env.BENCH_DEBUG) {
        const byPath = new Map<string, { n: number; ms: number }>();
        for (const c of amcCalls.calls) {
          const key = `${c.method} ${c.path}`;
          const entry = byPath.get(key) ?? { n: 0, ms: 0 };
          byPath.set(key, { n: entry.n + 1, ms: entry.ms + c.durationMs });
        }
        for (const [key, { n, ms }] of byPath) console.log(`  ${label} AMC ${key}: ${n} calls, ${(ms / n).toFixed(0)} ms each`);
      }
      await ingest.close();
      await joorApp.close();
      apps.splice(apps.indexOf(ingest), 1);
      apps.splice(apps.indexOf(joorApp), 1);
      return {
        seconds,
        status: run!.status,
        created: run!.countCreated,
        failed: run!.countFailed,
        creditsRun: run!.creditsSpent,
        creditsJoor: calls.calls.reduce((sum, c) => sum + c.credits, 0),
        duplicates: [...perJoorId.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0),
        missing: good.filter((o) => !perJoorId.has(o.order_id)).length,
        inAmc: amcOrders.length,
        amcCalls: amcCalls.calls.length,
      };
    };

    const lifted = await pass('lifted', LIFTED_CREDITS, 300, 50);
    const limited = await pass('limited', LIMITED.credits, LIMITED.windowSeconds, 8);
    const ingested = (r: PassResult) => r.created + r.failed;
    const line = (label: string, r: PassResult) =>
      `${label.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s  run ${r.status.padEnd(8)} created ${String(r.created).padStart(5)}  failed ${String(r.failed).padStart(4)}  ` +
      `JOOR credits ${String(r.creditsRun).padStart(4)} (sandbox counted ${r.creditsJoor})  AMC calls ${r.amcCalls}  duplicates ${r.duplicates}  missing ${r.missing}`;
    console.log(line('credit limit lifted, AMC 50 req/s', lifted));
    console.log(line(`limit ${LIMITED.credits} credits / ${LIMITED.windowSeconds} s, AMC 8 req/s`, limited));
    console.log(`orders per second (limit lifted):     ${(ingested(lifted) / lifted.seconds).toFixed(1)} ingested/s (${(lifted.created / lifted.seconds).toFixed(1)} created/s)`);
    console.log(`orders per second (limit in force):   ${(ingested(limited) / limited.seconds).toFixed(1)} ingested/s`);
    console.log(`JOOR credits per order (limit in force): ${(limited.creditsJoor / ingested(limited)).toFixed(3)} (${limited.creditsJoor} credits for ${ingested(limited)} orders)`);
    console.log(`duplicates found: ${lifted.duplicates + limited.duplicates} (must be 0)`);
    console.log(`orders missing:   ${lifted.missing + limited.missing} (must be 0)`);
    if (lifted.duplicates + limited.duplicates + lifted.missing + limited.missing > 0) process.exitCode = 1;
  } finally {
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

main().catch((err) => {
  console.error(`bench:orders failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
