import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '@app/common';
import { addJob, isFinalRunStatus, QUEUES, type CatalogSyncPayload, type EnqueueOptions, type InventorySyncPayload, type JobName, type JobPayload, type MediaSyncPayload } from '@app/contracts';
import { joorSandboxUrls } from '@app/joor-client';
import { ConnectionRepository, type SyncRunEntity, SyncRunRepository } from '@app/persistence';
import { CatalogSyncModule } from '../../../apps/catalog-sync/src/catalog-sync.module';
import { loadCatalogSyncTuning } from '../../../apps/catalog-sync/src/catalog-sync.config';
import type { CatalogSyncTuning } from '../../../apps/catalog-sync/src/catalog/catalog-sync.tuning';
import { loadInventorySyncTuning } from '../../../apps/inventory-sync/src/inventory-sync.config';
import { InventorySyncModule } from '../../../apps/inventory-sync/src/inventory-sync.module';
import type { InventorySyncTuning } from '../../../apps/inventory-sync/src/inventory/inventory-sync.tuning';
import { loadMediaSyncTuning } from '../../../apps/media-sync/src/media-sync.config';
import { MediaSyncModule } from '../../../apps/media-sync/src/media-sync.module';
import type { MediaSyncTuning } from '../../../apps/media-sync/src/media/media-sync.tuning';
import { FOLLOW_UP_WINDOW } from '@app/sync-core';
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
  /** The queue prefix of the stack's queues (and mesh events): a gateway started with it joins the stack. */
  queuePrefix: string;
  amc: AmcSandboxApp;
  joor: JoorSandboxHarness;
  app: INestApplication;
  queue: Queue;
  connections: ConnectionRepository;
  recorder: SyncRunRepository;
  /** Creates a connection to both sandboxes; returns its id. */
  connect(name: string, settings?: Record<string, unknown>): Promise<string>;
  /** Waits until the run has ended (succeeded, partial, failed or cancelled). */
  waitRun(runId: string, timeoutMs?: number): Promise<SyncRunEntity>;
  /** The id of the job `sync` queued last. */
  lastJobId: string | null;
  /** Adds a job to the catalog queue, typed by the contract (the job's own options, then these). */
  enqueue<N extends JobName<typeof QUEUES.catalog>>(name: N, payload: JobPayload<typeof QUEUES.catalog, N>, options: EnqueueOptions): Promise<unknown>;
  /** Queues a catalog run as the gateway does and waits until it ends. */
  sync(connectionId: string, payload?: Partial<CatalogSyncPayload>, options?: { backoffMs?: number; timeoutMs?: number }): Promise<SyncRunEntity>;
  /** inventory-sync, when the stack was started with `inventory: true`. */
  inventory: {
    app: INestApplication;
    queue: Queue;
    enqueue<N extends JobName<typeof QUEUES.inventory>>(name: N, payload: JobPayload<typeof QUEUES.inventory, N>, options: EnqueueOptions): Promise<unknown>;
    sync(connectionId: string, payload?: Partial<InventorySyncPayload>, options?: { backoffMs?: number; timeoutMs?: number }): Promise<SyncRunEntity>;
  } | null;
  /** media-sync, when the stack was started with `media: true`. */
  media: {
    app: INestApplication;
    queue: Queue;
    sync(connectionId: string, payload?: Partial<MediaSyncPayload>, options?: { backoffMs?: number; timeoutMs?: number }): Promise<SyncRunEntity>;
  } | null;
  close(): Promise<void>;
}

export interface CatalogStackOptions {
  /** Extra JOOR sandbox settings, e.g. its dialect (`JOOR_SANDBOX_ID_STYLE`, `JOOR_SANDBOX_V2_ENVELOPE`). */
  joorEnv?: Record<string, string>;
  /** catalog-sync's tuning beyond the stack's (e.g. smaller pages and bulk calls, for more batch boundaries). */
  tuning?: Partial<CatalogSyncTuning>;
  /** Also run inventory-sync (in this process, on the same queues and database); follow-ups then coalesce over `followUpWindowMs` (default 300 ms). */
  inventory?: boolean;
  /** inventory-sync's tuning beyond the stack's (e.g. fewer rows per call, for more calls). */
  inventoryTuning?: Partial<InventorySyncTuning>;
  followUpWindowMs?: number;
  /** Also run media-sync (in this process, on the same queues and database). */
  media?: boolean;
  mediaTuning?: Partial<MediaSyncTuning>;
}

export async function startCatalogStack(label: string, seed: { styles: number; seed: number }, options: CatalogStackOptions = {}): Promise<CatalogStack> {
  const db = await createTestDatabase(`cat_${label}`);
  const closers: Array<() => Promise<unknown>> = [() => db.drop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const amc = await startAmcSandbox(db.url);
    closers.push(() => amc.close());
    await amc.seed({ ...seed, customers: 20, orders: 0 });
    const joor = await startJoorSandbox(`cat_${label}`, {
      JOOR_SANDBOX_CREDITS_PER_WINDOW: String(CATALOG_TEST_WINDOW.credits),
      JOOR_SANDBOX_WINDOW_SECONDS: String(CATALOG_TEST_WINDOW.seconds),
      ...options.joorEnv,
    });
    closers.push(() => joor.close());
    await joor.seed({ ...seed, orders: 0, customers: 20 });
    const queuePrefix = testQueuePrefix(`cat-${label}`);
    const extra = {
      AMC_REQUESTS_PER_SECOND: '50',
      JOOR_CREDITS_PER_WINDOW: String(CATALOG_TEST_WINDOW.credits),
      JOOR_CREDIT_WINDOW_SECONDS: String(CATALOG_TEST_WINDOW.seconds),
      JOOR_CREDIT_SAFETY: '5',
      JOOR_CREDIT_MARGIN_MS: '100',
      JOOR_CREDIT_RESERVE_RELEASE_MS: '200',
      JOOR_RATE_RESET_PRECISION_MS: '1',
    };
    const config = testConfig('catalog-sync', { databaseUrl: db.url, queuePrefix, extra });
    // A short follow-up window, so a test sees a catalog run's follow-ups (stock) within a second.
    @Global()
    @Module({ providers: [{ provide: FOLLOW_UP_WINDOW, useValue: options.followUpWindowMs ?? 300 }], exports: [FOLLOW_UP_WINDOW] })
    class FollowUpWindowModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [FollowUpWindowModule, CatalogSyncModule.register(config, { ...loadCatalogSyncTuning({}), busyRetryMs: 300, ...options.tuning })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: process.env.CATALOG_TEST_LOGS ? ['error', 'warn', 'log'] : false });
    await app.init();
    closers.push(() => app.close());
    const queue = new Queue(QUEUES.catalog, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
    closers.push(async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    });
    let inventory: CatalogStack['inventory'] = null;
    if (options.inventory) {
      const inventoryConfig = testConfig('inventory-sync', { databaseUrl: db.url, queuePrefix, extra });
      const inventoryRef = await Test.createTestingModule({
        imports: [InventorySyncModule.register(inventoryConfig, { ...loadInventorySyncTuning({}), busyRetryMs: 300, ...options.inventoryTuning })],
      }).compile();
      const inventoryApp = inventoryRef.createNestApplication({ logger: process.env.CATALOG_TEST_LOGS ? ['error', 'warn', 'log'] : false });
      await inventoryApp.init();
      closers.push(() => inventoryApp.close());
      const inventoryQueue = new Queue(QUEUES.inventory, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
      closers.push(async () => {
        await inventoryQueue.obliterate({ force: true }).catch(() => undefined);
        await inventoryQueue.close();
      });
      inventory = {
        app: inventoryApp,
        queue: inventoryQueue,
        enqueue: (name, payload, opts) => addJob(inventoryQueue, QUEUES.inventory, name, payload, opts),
        async sync(connectionId, payload = {}, opts = {}) {
          const run = await recorder.queue(connectionId, 'inventory', 'manual', { full: payload.full ?? false, styleNumbers: payload.styleNumbers ?? null });
          await addJob(
            inventoryQueue,
            QUEUES.inventory,
            'inventory.sync',
            { connectionId, runId: run.id, trigger: 'manual', ...payload },
            { jobId: `test-inventory-${run.id}`, ...(opts.backoffMs !== undefined ? { backoff: { type: 'fixed', delay: opts.backoffMs } } : {}) },
          );
          return waitRun(run.id, opts.timeoutMs);
        },
      };
    } else {
      // Follow-ups a catalog run asks for land in the inventory queue: clear them with the stack.
      const followUps = new Queue(QUEUES.inventory, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
      closers.push(async () => {
        await followUps.obliterate({ force: true }).catch(() => undefined);
        await followUps.close();
      });
    }
    let media: CatalogStack['media'] = null;
    const mediaQueue = new Queue(QUEUES.media, { connection: redisOptionsFromUrl(testServices().redisUrl), prefix: queuePrefix });
    closers.push(async () => {
      await mediaQueue.obliterate({ force: true }).catch(() => undefined);
      await mediaQueue.close();
    });
    if (options.media) {
      const mediaConfig = testConfig('media-sync', { databaseUrl: db.url, queuePrefix, extra });
      const mediaRef = await Test.createTestingModule({
        imports: [MediaSyncModule.register(mediaConfig, { ...loadMediaSyncTuning({}), busyRetryMs: 300, ...options.mediaTuning })],
      }).compile();
      const mediaApp = mediaRef.createNestApplication({ logger: process.env.CATALOG_TEST_LOGS ? ['error', 'warn', 'log'] : false });
      await mediaApp.init();
      closers.push(() => mediaApp.close());
      media = {
        app: mediaApp,
        queue: mediaQueue,
        async sync(connectionId, payload = {}, opts = {}) {
          const run = await recorder.queue(connectionId, 'images', 'manual', { full: payload.full ?? false, styleNumbers: payload.styleNumbers ?? null });
          await addJob(
            mediaQueue,
            QUEUES.media,
            'media.sync',
            { connectionId, runId: run.id, trigger: 'manual', ...payload },
            { jobId: `test-media-${run.id}`, ...(opts.backoffMs !== undefined ? { backoff: { type: 'fixed', delay: opts.backoffMs } } : {}) },
          );
          return waitRun(run.id, opts.timeoutMs);
        },
      };
    }
    const connections = app.get(ConnectionRepository);
    const recorder = app.get(SyncRunRepository);
    let jobSeq = 0;
    const waitRun = async (runId: string, timeoutMs = 100_000): Promise<SyncRunEntity> => {
      let last: SyncRunEntity | null = null;
      await waitFor(
        `catalog run ${runId} to end`,
        async () => {
          last = await recorder.findById(runId);
          return !!last && isFinalRunStatus(last.status);
        },
        timeoutMs,
        200,
      );
      return last!;
    };
    const stack: CatalogStack = {
      db,
      queuePrefix,
      amc,
      joor,
      app,
      queue,
      connections,
      recorder,
      waitRun,
      inventory,
      media,
      lastJobId: null,
      enqueue: (name, payload, options) => addJob(queue, QUEUES.catalog, name, payload, options),
      async connect(name, settings = {}) {
        const urls = joorSandboxUrls(joor.url);
        const connection = await connections.create(
          {
            name,
            amcBaseUrl: amc.url,
            joorAuthUrl: urls.auth,
            joorV4BaseUrl: urls.v4,
            joorV2BaseUrl: urls.v2,
            joorAccountId: joor.accountId,
            joorClientId: JOOR_SANDBOX_DEV_CREDENTIALS.clientId,
            joorUsername: JOOR_SANDBOX_DEV_CREDENTIALS.username,
          },
          { amcToken: amc.token, joorClientSecret: JOOR_SANDBOX_DEV_CREDENTIALS.clientSecret, joorPassword: JOOR_SANDBOX_DEV_CREDENTIALS.password, joorV2Token: joor.config.v2Token },
          { defaultCurrency: 'USD', ...settings },
        );
        return connection.id;
      },
      async sync(connectionId, payload = {}, options = {}) {
        const run = await recorder.queue(connectionId, 'styles', 'manual', { full: payload.full ?? false, styleNumbers: payload.styleNumbers ?? null });
        const jobId = `test-run-${run.id}-${++jobSeq}`;
        stack.lastJobId = jobId;
        await addJob(
          queue,
          QUEUES.catalog,
          'catalog.sync',
          { connectionId, runId: run.id, trigger: 'manual', ...payload },
          { jobId, ...(options.backoffMs !== undefined ? { backoff: { type: 'fixed', delay: options.backoffMs } } : {}) },
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

export { actualCatalog, expectedCatalog, type ExpectedCatalog, type OracleOptions } from './catalog-oracle';
