/**
 * `npm run bench:inventory -- [--styles N] [--changes N] [--seed S] [--poll-seconds N] [--span-seconds N]`
 *
 * How soon a stock change in AMC shows on JOOR while a big catalog sync holds JOOR's credit budget,
 * at JOOR's real limit (300 credits per 300 s window, not shortened). The AMC and JOOR sandboxes,
 * catalog-sync and inventory-sync run as processes of their own (one queue prefix: one shared budget).
 *
 * Phase 1: a full catalog sync of N styles (default 2,000: hours at JOOR's limit) and the connection's
 * inventory schedule (every `--poll-seconds`, its `inventoryPollSeconds`) run; once some SKUs are on
 * JOOR with their stock, `--changes` SKUs on JOOR get a new `qty_avail_sell` through AMC's own API
 * (`PUT /inventory/{sku_id}`) at random moments over `--span-seconds` (default max(300, 30 x changes):
 * at least one whole JOOR window). For each, the seconds from AMC's answer to the JOOR sandbox's
 * state showing the new quantity (read after every stock call in its call log, and every 5 s), then
 * p50/p95/max, the inventory credits per changed SKU, the 429s, and what held the stock calls back
 * (inventory runs, the budget's waiters, JOOR's windows). The processes are stopped afterwards: the
 * catalog only has to be running, holding the budget, while the changes are measured.
 *
 * Phase 2: the credits of a full inventory run against their floor (bulk calls needed x 5). The JOOR
 * sandbox is seeded again and a fresh connection's catalog goes on JOOR with the limit lifted (only to
 * get every SKU there in a minute); then, at JOOR's real limit again, one full inventory run sends the
 * stock of every SKU on JOOR. Floor = ceil(rows JOOR took / INVENTORY_ROWS_PER_CALL) x 5.
 *
 * Targets (printed beside each figure; a missed target is a verdict, not a failure: the exit code is
 * non-zero only when the run itself broke): p95 <= inventoryPollSeconds + 30 s, 0 429s, full-run
 * credits <= 1.05 x the floor. Needs PostgreSQL and Redis (DATABASE_URL's server, REDIS_URL) and the build.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AmcClient } from '@app/amc-client';
import { redisOptionsFromUrl } from '@app/common';
import { addJob, CATALOG_SYNC_JOB, INVENTORY_SYNC_JOB, isFinalRunStatus, jobIds, QUEUES, upsertScheduler } from '@app/contracts';
import { RedisCreditBudget, type BudgetPriority } from '@app/joor-budget';
import { EntityLinkRepository, LINK_TYPES, RETIRED_HASH_PREFIX, SyncRunEntity } from '@app/persistence';
import { generateBrand, Rng } from '@app/sandbox-seed';
import { freePort } from '@app/util';
import {
  AMC_TOKEN,
  amcSandboxEnv,
  CallLogReader,
  clearRedisPrefix,
  connectionRepository,
  createBenchConnection,
  createBenchDatabase,
  http,
  joorSandboxEnv,
  openBenchDataSource,
  percentile,
  Proc,
  sleep,
  syncServiceEnv,
  type SandboxCall,
} from './bench-kit';

/** JOOR's documented limit, neither shortened nor lifted. */
const JOOR_LIMIT = { credits: 300, seconds: 300 };
/** Only to put phase 2's catalog on JOOR quickly; its inventory run goes at JOOR_LIMIT again. */
const LIFTED = { credits: 1_000_000, seconds: 300 };
const WRITE_CREDITS = 5;
const P95_SLACK_SECONDS = 30;
const FULL_RUN_RATIO_TARGET = 1.05;
/** State reads of JOOR's stock when no stock call was seen (a call the log missed still gets noticed). */
const STATE_READ_EVERY_MS = 5_000;
const PROGRESS_EVERY_MS = 30_000;
/** Sync services stop soon when the bench ends (a job waiting for credits is abandoned, not awaited). */
const SHUTDOWN_TIMEOUT_MS = '5000';

interface Args {
  styles: number;
  changes: number;
  seed: number;
  pollSeconds: number;
  spanSeconds: number;
}

function parseArgs(argv: string[]): Args {
  const given: Partial<Args> = {};
  const flags: Record<string, keyof Args> = { '--styles': 'styles', '--changes': 'changes', '--seed': 'seed', '--poll-seconds': 'pollSeconds', '--span-seconds': 'spanSeconds' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = flags[flag];
    if (!key) throw new Error(`unknown argument ${argv[i]} (known: ${Object.keys(flags).join(', ')})`);
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a whole number`);
    given[key] = value;
  }
  const changes = given.changes ?? 20;
  const args: Args = { styles: 2000, seed: 1, pollSeconds: 60, ...given, changes, spanSeconds: given.spanSeconds ?? Math.max(JOOR_LIMIT.seconds, 30 * changes) };
  if (args.styles < 1 || args.styles > 25_000) throw new Error('--styles must be 1..25000');
  if (args.changes < 1 || args.changes > 1_000) throw new Error('--changes must be 1..1000');
  if (args.pollSeconds < 15 || args.pollSeconds > 3_600) throw new Error('--poll-seconds must be 15..3600 (a connection allows at least 15)');
  if (args.spanSeconds < 1) throw new Error('--span-seconds must be at least 1');
  return args;
}

/** One stock change made in AMC and watched on JOOR. */
interface Change {
  n: number;
  skuId: string;
  joorSkuId: number;
  from: number;
  to: number;
  /** When AMC answered the PUT (epoch ms). */
  changedAt: number;
  /** When a read of JOOR's stock first showed `to` (epoch ms). */
  shownAt: number | null;
  catalogRunningAtChange: boolean;
}

interface BudgetSample {
  at: number;
  used: number;
  waiting: BudgetPriority[];
}

const isStockCall = (c: SandboxCall) => c.method !== 'GET' && c.path.startsWith('/v2/bulk-inventory');
/** JOOR credits of the calls other than stock calls (in phase 1: the catalog's; its run record is written only per page). */
const otherCredits = (calls: SandboxCall[]) => calls.filter((c) => !isStockCall(c)).reduce((s, c) => s + c.credits, 0);
const endOf = (c: SandboxCall) => Date.parse(c.at) + c.durationMs;
const secondsBetween = (from: number, to: number) => (to - from) / 1000;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const benchStarted = Date.now();
  const rowsPerCall = Number(process.env.INVENTORY_ROWS_PER_CALL ?? 1000);
  if (!Number.isInteger(rowsPerCall) || rowsPerCall < 1) throw new Error('INVENTORY_ROWS_PER_CALL must be a whole number of at least 1');
  const db = await createBenchDatabase('inventory');
  const { redisUrl, dbUrl } = db;
  const tag = randomBytes(3).toString('hex');
  const prefixes = [`bench-inv-${tag}-live`, `bench-inv-${tag}-full`];
  const procs: Proc[] = [];
  const queues: Queue[] = [];
  const redis = new Redis(redisOptionsFromUrl(redisUrl, { connectionName: 'bench-inventory', maxRetriesPerRequest: 3 }));
  let dataSource: DataSource | null = null;
  const start = (name: string, env: NodeJS.ProcessEnv, port: number) => {
    const proc = new Proc(name, env, port);
    procs.push(proc);
    return proc;
  };
  const queueOf = (name: string, prefix: string) => {
    const queue = new Queue(name, { connection: redisOptionsFromUrl(redisUrl), prefix });
    queues.push(queue);
    return queue;
  };
  try {
    dataSource = await openBenchDataSource(dbUrl, 'bench-inventory');
    const connections = connectionRepository(dataSource);
    const links = new EntityLinkRepository(dataSource);
    const runs = dataSource.getRepository(SyncRunEntity);

    const seedBody = { styles: args.styles, seed: args.seed, customers: 20, orders: 0 };
    const { settings: brandSettings } = generateBrand(seedBody).amc;
    const warehouse = { amc: brandSettings.amcWarehouseId, joor: brandSettings.joorWarehouseName };
    const settings = { defaultCurrency: brandSettings.defaultCurrency, amcWarehouseId: warehouse.amc, joorWarehouseName: warehouse.joor, inventoryPollSeconds: args.pollSeconds };
    const stockUrl = (joorUrl: string) => `${joorUrl}/_sandbox/state/inventory?warehouse=${encodeURIComponent(warehouse.joor)}`;
    /** JOOR's immediate stock in the connection's warehouse: JOOR SKU id -> quantity. */
    const joorStock = async (joorUrl: string) => {
      const rows: Array<{ sku_id: number; inventory_date: string; quantity: number }> = await http('GET', stockUrl(joorUrl));
      return new Map(rows.filter((r) => r.inventory_date === 'IMMEDIATE').map((r) => [Number(r.sku_id), r.quantity]));
    };

    const amcProc = start('amc-sandbox', amcSandboxEnv(dbUrl, redisUrl), await freePort());
    await amcProc.ready();
    process.stdout.write(`seeding AMC with ${args.styles} styles (seed ${args.seed})... `);
    await http('POST', `${amcProc.url}/_sandbox/seed`, seedBody);
    console.log('done');
    const amc = new AmcClient({ baseUrl: amcProc.url, token: AMC_TOKEN, requestsPerSecond: 50 });

    // ---------------------------------------------------------------- phase 1
    const joorPort = await freePort();
    let joor = start('joor-sandbox', joorSandboxEnv(dbUrl, redisUrl, JOOR_LIMIT), joorPort);
    await joor.ready();
    const accountId = String((await http('POST', `${joor.url}/_sandbox/seed`, seedBody)).accountId);
    await http('DELETE', `${joor.url}/_sandbox/credits`);
    const live = prefixes[0];
    const catalogSync = start('catalog-sync', syncServiceEnv(dbUrl, redisUrl, live, JOOR_LIMIT, { AMC_REQUESTS_PER_SECOND: '20', SHUTDOWN_TIMEOUT_MS }), await freePort());
    const inventorySync = start('inventory-sync', syncServiceEnv(dbUrl, redisUrl, live, JOOR_LIMIT, { INVENTORY_ROWS_PER_CALL: String(rowsPerCall), SHUTDOWN_TIMEOUT_MS }), await freePort());
    await Promise.all([catalogSync.ready(), inventorySync.ready()]);
    const connection = await createBenchConnection(connections, 'bench-inventory-live', amcProc.url, joor.url, accountId, settings);
    const catalogQueue = queueOf(QUEUES.catalog, live);
    const inventoryQueue = queueOf(QUEUES.inventory, live);
    const budget = new RedisCreditBudget(redis, { keyPrefix: `${live}:joor-budget`, creditsPerWindow: JOOR_LIMIT.credits, windowMs: JOOR_LIMIT.seconds * 1000 });
    const calls = new CallLogReader(joor.url);
    await calls.mark();

    console.log(`\nphase 1: JOOR's limit (${JOOR_LIMIT.credits} credits per ${JOOR_LIMIT.seconds} s window), a full catalog sync of ${args.styles} styles, inventory every ${args.pollSeconds} s`);
    const catalogRun = await runs.save({ connectionId: connection.id, kind: 'styles', trigger: 'manual', status: 'queued', details: { full: true } });
    const t0 = Date.now();
    await addJob(catalogQueue, QUEUES.catalog, CATALOG_SYNC_JOB, { connectionId: connection.id, runId: catalogRun.id, trigger: 'manual', full: true }, { jobId: jobIds.run(catalogRun.id) });
    // As the gateway sets it for a connection (a job scheduler fires at once, then every inventoryPollSeconds).
    await upsertScheduler(inventoryQueue, QUEUES.inventory, INVENTORY_SYNC_JOB, jobIds.schedule('inventory', connection.id), args.pollSeconds * 1000, {
      connectionId: connection.id,
      trigger: 'schedule',
    });

    const phase1Calls: SandboxCall[] = [];
    const budgetSamples: BudgetSample[] = [];
    /** JOOR's windows as its sandbox counts them: start (ISO) -> most credits seen used. */
    const joorWindows = new Map<string, number>();
    const changes: Change[] = [];
    let stock = new Map<number, number>();
    let lastStateRead = 0;
    let catalog: SyncRunEntity = catalogRun;
    let catalogFinishedAt: number | null = null;
    let lastCatalogRead = 0;
    let lastProgress = Date.now();
    const rel = (at: number) => `+${Math.round(secondsBetween(t0, at))} s`;

    /** One look at everything (about once a second): the call log, the budget, JOOR's window and stock, the catalog run. */
    const tick = async (forceStateRead = false) => {
      const now = Date.now();
      for (const proc of [catalogSync, inventorySync, joor, amcProc]) if (!proc.alive) throw new Error(`${proc.name} exited:\n${proc.output.slice(-20).join('\n')}`);
      const fresh = await calls.read();
      phase1Calls.push(...fresh);
      const snapshot = await budget.snapshot(accountId);
      budgetSamples.push({ at: now, used: snapshot.used, waiting: snapshot.waiting.map((w) => w.priority) });
      const window = await http('GET', `${joor.url}/_sandbox/state/credits`);
      if (window?.windowStart) joorWindows.set(window.windowStart, Math.max(joorWindows.get(window.windowStart) ?? 0, window.used));
      const pending = changes.filter((c) => c.shownAt === null);
      if (forceStateRead || (pending.length > 0 && (fresh.some((c) => isStockCall(c) && c.status < 300) || now - lastStateRead >= STATE_READ_EVERY_MS))) {
        lastStateRead = Date.now();
        stock = await joorStock(joor.url);
        const readAt = Date.now();
        for (const change of pending) if (stock.get(change.joorSkuId) === change.to) change.shownAt = readAt;
      }
      if (catalogFinishedAt === null && now - lastCatalogRead >= 5_000) {
        lastCatalogRead = now;
        catalog = (await runs.findOneBy({ id: catalogRun.id }))!;
        if (isFinalRunStatus(catalog.status)) catalogFinishedAt = now;
      }
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        const inventoryRuns = await runs.find({ where: { connectionId: connection.id, kind: 'inventory' } });
        const waiting = snapshot.waiting.map((w) => w.priority).join(', ') || 'nobody';
        console.log(
          `  ${rel(now)}: catalog ${catalog.status} ${catalog.progressDone}/${catalog.progressTotal ?? '?'} styles, ${otherCredits(phase1Calls)} credits; ` +
            `inventory ${inventoryRuns.length} runs, ${inventoryRuns.reduce((s, r) => s + r.creditsSpent, 0)} credits; ` +
            `changes ${changes.length}/${args.changes} made, ${changes.filter((c) => c.shownAt !== null).length} shown; budget ${snapshot.used}/${snapshot.cap} used, waiting: ${waiting}`,
        );
      }
    };

    /** SKUs on JOOR (live catalog links) whose stock inventory sync has sent (an inventory link), and JOOR shows. */
    const stockedSkus = async () => {
      const out: Array<{ skuId: string; joorSkuId: number }> = [];
      for (let afterKey: string | null = null; ;) {
        const page = await links.pageLive(connection.id, LINK_TYPES.sku, { afterKey, limit: 1000, retiredHashPrefix: RETIRED_HASH_PREFIX });
        if (page.length === 0) return out;
        const sent = await links.find(
          connection.id,
          LINK_TYPES.inventory,
          page.map((l) => l.amcId),
        );
        for (const link of page) {
          const joorSkuId = Number(link.joorId);
          if (sent.has(link.amcId) && !link.amcId.includes(':') && stock.has(joorSkuId)) out.push({ skuId: link.amcId, joorSkuId });
        }
        afterKey = page[page.length - 1].amcId;
      }
    };

    // Warm-up: the catalog puts its first styles on JOOR and inventory sync sends their stock.
    const wanted = Math.max(2 * args.changes, 20);
    const warmUpLimit = Date.now() + 3 * JOOR_LIMIT.seconds * 1000 + 120_000;
    console.log(`  waiting for ${wanted} SKUs on JOOR with their stock...`);
    let stocked: Awaited<ReturnType<typeof stockedSkus>> = [];
    for (let i = 0; ; i++) {
      await tick(i % 10 === 0);
      if (i % 10 === 0 && (stocked = await stockedSkus()).length >= wanted) break;
      if (Date.now() > warmUpLimit) throw new Error(`fewer than ${wanted} SKUs on JOOR with their stock after ${fmt(secondsBetween(t0, Date.now()), 0)} s (found ${stocked.length})`);
      if (catalogFinishedAt !== null && catalog.status === 'failed') throw new Error(`the catalog run failed: ${catalog.error}`);
      await sleep(1000);
    }
    const measureFrom = Date.now();
    console.log(`  ${stocked.length} SKUs on JOOR with their stock after ${fmt(secondsBetween(t0, measureFrom), 0)} s`);

    // The changes, at random moments over the span (a seeded draw), each a SKU not changed before.
    const rng = Rng.stream(args.seed, 'bench-inventory');
    const offsets = Array.from({ length: args.changes }, () => Math.floor(rng.next() * args.spanSeconds * 1000)).sort((a, b) => a - b);
    const showTimeoutMs = (JOOR_LIMIT.seconds + 2 * args.pollSeconds + 60) * 1000;
    console.log(`  ${args.changes} stock changes at random moments over ${args.spanSeconds} s from ${rel(measureFrom)} (each watched for up to ${showTimeoutMs / 1000} s)`);
    const changedSkus = new Set<string>();
    while (changes.length < args.changes || changes.some((c) => c.shownAt === null && Date.now() - c.changedAt < showTimeoutMs)) {
      if (changes.length < args.changes && Date.now() >= measureFrom + offsets[changes.length]) {
        const pool = (await stockedSkus()).filter((s) => !changedSkus.has(s.skuId));
        if (pool.length === 0) throw new Error('no SKU on JOOR with its stock left to change');
        const sku = rng.pick(pool);
        changedSkus.add(sku.skuId);
        const [row] = (await amc.skuWarehouse(warehouse.amc, { filters: [{ field: 'sku_id', operator: '=', value: sku.skuId }] })).records;
        const from = row ? Number(row.qty_avail_sell) : 0;
        const to = Math.max(0, from) + rng.int(1, 25);
        await amc.updateInventory(sku.skuId, { warehouse_id: warehouse.amc, qty_avail_sell: to });
        changes.push({ n: changes.length + 1, skuId: sku.skuId, joorSkuId: sku.joorSkuId, from, to, changedAt: Date.now(), shownAt: null, catalogRunningAtChange: catalogFinishedAt === null });
        continue;
      }
      await tick();
      await sleep(1000);
    }
    await tick(true);
    const measureTo = Date.now();
    catalog = (await runs.findOneBy({ id: catalogRun.id }))!;
    const inventoryRuns = (await runs.find({ where: { connectionId: connection.id, kind: 'inventory' }, order: { queuedAt: 'ASC' } })).filter((r) => r.startedAt || r.finishedAt);
    const phase1InventoryRssMb = inventorySync.peakRssMb();
    console.log(`  measured until ${rel(measureTo)}; stopping catalog-sync and inventory-sync (the catalog run is left unfinished: ${catalog.progressDone}/${catalog.progressTotal ?? '?'} styles)`);
    await inventoryQueue.removeJobScheduler(jobIds.schedule('inventory', connection.id));
    await Promise.all([catalogSync.stop(), inventorySync.stop()]);
    phase1Calls.push(...(await calls.read()));
    const phase1Missed = calls.missed;

    // ---------------------------------------------------------------- phase 2
    console.log(`\nphase 2: a full inventory run of every SKU on JOOR (${args.styles} styles), at JOOR's limit`);
    await joor.stop();
    joor = start('joor-sandbox', joorSandboxEnv(dbUrl, redisUrl, LIFTED), joorPort);
    await joor.ready();
    await http('POST', `${joor.url}/_sandbox/seed`, seedBody);
    await http('DELETE', `${joor.url}/_sandbox/credits`);
    const full = prefixes[1];
    const catalogLifted = start('catalog-sync', syncServiceEnv(dbUrl, redisUrl, full, LIFTED, { AMC_REQUESTS_PER_SECOND: '20', SHUTDOWN_TIMEOUT_MS }), await freePort());
    await catalogLifted.ready();
    const connection2 = await createBenchConnection(connections, 'bench-inventory-full', amcProc.url, joor.url, accountId, settings);
    const catalogQueue2 = queueOf(QUEUES.catalog, full);
    const inventoryQueue2 = queueOf(QUEUES.inventory, full);
    const waitRun = async (id: string, label: string, proc: Proc, timeoutMs: number) => {
      const started = Date.now();
      let printed = Date.now();
      for (;;) {
        await sleep(1000);
        if (!proc.alive) throw new Error(`${proc.name} exited:\n${proc.output.slice(-20).join('\n')}`);
        const run = (await runs.findOneBy({ id }))!;
        if (isFinalRunStatus(run.status)) return { run, seconds: secondsBetween(started, Date.now()) };
        if (Date.now() - started > timeoutMs) throw new Error(`${label} not finished after ${timeoutMs / 1000} s (${run.status} ${run.progressDone}/${run.progressTotal ?? '?'})`);
        if (Date.now() - printed >= 15_000) {
          printed = Date.now();
          console.log(`  ${label}: ${run.status} ${run.progressDone}/${run.progressTotal ?? '?'}, ${run.creditsSpent} credits, ${Math.round(secondsBetween(started, Date.now()))} s`);
        }
      }
    };
    const catalogRun2 = await runs.save({ connectionId: connection2.id, kind: 'styles', trigger: 'manual', status: 'queued', details: { full: true } });
    await addJob(catalogQueue2, QUEUES.catalog, CATALOG_SYNC_JOB, { connectionId: connection2.id, runId: catalogRun2.id, trigger: 'manual', full: true }, { jobId: jobIds.run(catalogRun2.id) });
    const catalogDone = await waitRun(catalogRun2.id, 'catalog (limit lifted)', catalogLifted, 60 * 60_000);
    console.log(`  catalog (limit lifted): ${catalogDone.run.status} in ${fmt(catalogDone.seconds)} s`);
    await catalogLifted.stop();
    // The catalog's stock follow-ups would run first; this phase measures one full run on its own. The
    // budget's window of the lifted limit (thousands of credits used) must not carry over to JOOR's.
    await inventoryQueue2.obliterate({ force: true });
    await clearRedisPrefix(redisUrl, `${full}:joor-budget`);
    await joor.stop();
    joor = start('joor-sandbox', joorSandboxEnv(dbUrl, redisUrl, JOOR_LIMIT), joorPort);
    await joor.ready();
    await http('DELETE', `${joor.url}/_sandbox/credits`);
    const inventoryFull = start('inventory-sync', syncServiceEnv(dbUrl, redisUrl, full, JOOR_LIMIT, { INVENTORY_ROWS_PER_CALL: String(rowsPerCall), SHUTDOWN_TIMEOUT_MS }), await freePort());
    await inventoryFull.ready();
    const calls2 = new CallLogReader(joor.url);
    await calls2.mark();
    const fullRun = await runs.save({ connectionId: connection2.id, kind: 'inventory', trigger: 'manual', status: 'queued', details: { full: true, styleNumbers: null } });
    await addJob(inventoryQueue2, QUEUES.inventory, INVENTORY_SYNC_JOB, { connectionId: connection2.id, runId: fullRun.id, trigger: 'manual', full: true }, { jobId: jobIds.run(fullRun.id) });
    const fullDone = await waitRun(fullRun.id, 'full inventory run', inventoryFull, 30 * 60_000);
    const phase2Calls = await calls2.read();
    const rowsOnJoor = (await joorStock(joor.url)).size;
    const fullRssMb = inventoryFull.peakRssMb();
    await inventoryFull.stop();

    // ---------------------------------------------------------------- figures
    const r = fullDone.run;
    const rowsTaken = r.countCreated + r.countUpdated;
    const stockCalls2 = phase2Calls.filter(isStockCall);
    const floor = Math.ceil(rowsTaken / rowsPerCall) * WRITE_CREDITS;
    const ratio = floor > 0 ? r.creditsSpent / floor : NaN;
    const throttled1 = phase1Calls.filter((c) => c.status === 429).length;
    const throttled2 = phase2Calls.filter((c) => c.status === 429).length;

    const latencies = changes.map((c) => (c.shownAt === null ? Infinity : secondsBetween(c.changedAt, c.shownAt)));
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const max = Math.max(...latencies);
    const p95Target = args.pollSeconds + P95_SLACK_SECONDS;
    const shown = changes.filter((c) => c.shownAt !== null).length;
    const latencyText = (s: number) => (Number.isFinite(s) ? fmt(s) : `not shown within ${showTimeoutMs / 1000} s`);

    const firstChange = changes[0].changedAt;
    const lastSeen = Math.max(...changes.map((c) => c.shownAt ?? c.changedAt + showTimeoutMs));
    const measuredCalls = phase1Calls.filter((c) => isStockCall(c) && Date.parse(c.at) >= firstChange && Date.parse(c.at) <= lastSeen);
    const measuredCredits = measuredCalls.reduce((s, c) => s + c.credits, 0);
    const measuredRuns = inventoryRuns.filter((x) => x.startedAt && x.startedAt.getTime() <= lastSeen && (x.finishedAt?.getTime() ?? Infinity) >= firstChange);
    const ran = measuredRuns.filter((x) => !x.details?.skipped);
    const byTrigger = (list: SyncRunEntity[]) => Object.entries(list.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x.trigger]: (acc[x.trigger] ?? 0) + 1 }), {}));

    // What held stock calls back: the budget's inventory waiters (sampled each second), JOOR's windows.
    const inventoryWaits: number[] = [];
    let waitStart: number | null = null;
    for (const s of budgetSamples) {
      const waiting = s.waiting.includes('inventory');
      if (waiting && waitStart === null) waitStart = s.at;
      if (!waiting && waitStart !== null) {
        inventoryWaits.push(secondsBetween(waitStart, s.at));
        waitStart = null;
      }
    }
    if (waitStart !== null) inventoryWaits.push(secondsBetween(waitStart, budgetSamples[budgetSamples.length - 1].at));
    const windowStarts = [...joorWindows.keys()].map((w) => Date.parse(w)).sort((a, b) => a - b);
    const windowOf = (at: number) => windowStarts.filter((w) => w <= at && at < w + JOOR_LIMIT.seconds * 1000).pop() ?? null;

    // Which stock call carried each change (the last one JOOR answered before its state showed it; state
    // reads follow every stock call within about a second) and which inventory run made that call.
    const stockCalls1 = phase1Calls.filter((c) => isStockCall(c) && c.status < 300);
    const carried = changes.map((change) => {
      const call = change.shownAt === null ? undefined : stockCalls1.filter((c) => Date.parse(c.at) >= change.changedAt && endOf(c) <= change.shownAt!).pop();
      const run = call && inventoryRuns.find((x) => x.startedAt && x.startedAt.getTime() <= Date.parse(call.at) && (x.finishedAt?.getTime() ?? Infinity) >= Date.parse(call.at));
      return { change, call, run };
    });
    const pollWaits = carried.filter((c) => c.run).map((c) => Math.max(0, secondsBetween(c.change.changedAt, c.run!.startedAt!.getTime())));
    const inRunWaits = carried.filter((c) => c.run && c.call).map((c) => secondsBetween(c.run!.startedAt!.getTime(), Date.parse(c.call!.at)));

    console.log(
      `\n=== inventory benchmark: ${args.styles} styles (seed ${args.seed}), ${args.changes} stock changes, inventoryPollSeconds ${args.pollSeconds}, ${rowsPerCall} rows per stock call ===`,
    );
    console.log(`\nphase 1: stock changes while a full catalog sync holds JOOR's budget (${JOOR_LIMIT.credits} credits per ${JOOR_LIMIT.seconds} s, not shortened)`);
    console.log(
      `  catalog run                ${catalog.status} ${catalog.progressDone}/${catalog.progressTotal ?? '?'} styles, ${otherCredits(phase1Calls)} credits on JOOR's call log when stopped at ${rel(measureTo)}; ` +
        (catalogFinishedAt === null
          ? 'running through every change'
          : `finished at ${rel(catalogFinishedAt)}: ${changes.filter((c) => !c.catalogRunningAtChange).length} change(s) made after it, without a catalog backlog`),
    );
    console.log(
      `  changes                    ${changes.length} SKUs on JOOR, qty_avail_sell raised through AMC's PUT /inventory, from ${rel(firstChange)} to ${rel(changes[changes.length - 1].changedAt)}; ${shown} shown on JOOR`,
    );
    console.log(
      `  seconds AMC -> JOOR        p50 ${latencyText(p50)}, p95 ${latencyText(p95)}, max ${latencyText(max)}  (target p95 <= ${p95Target} = inventoryPollSeconds + ${P95_SLACK_SECONDS}: ${verdict(p95 <= p95Target)})`,
    );
    console.log(
      `  credits per changed SKU    ${fmt(measuredCredits / changes.length, 2)}  (${measuredCredits} stock-call credits, ${measuredCalls.length} calls, from the first change until the last was shown; ` +
        `their runs also sent the first stock of ${ran.reduce((s, x) => s + x.countCreated, 0)} SKUs the catalog put on JOOR meanwhile, and ${ran.reduce((s, x) => s + x.countUpdated, 0)} changed rows)`,
    );
    console.log(`  429s received              ${throttled1}  (target 0: ${verdict(throttled1 === 0)})${phase1Missed ? `; ${phase1Missed} calls fell out of the sandbox's log unread` : ''}`);
    console.log(
      `  inventory runs meanwhile   ${measuredRuns.length} (${byTrigger(measuredRuns)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), ${measuredRuns.length - ran.length} skipped (another inventory run of the connection going), ` +
        `longest ${fmt(Math.max(0, ...ran.map((x) => secondsBetween(x.startedAt!.getTime(), (x.finishedAt ?? new Date(measureTo)).getTime()))))} s`,
    );
    console.log(
      `  budget waiters (1/s)       inventory waited for credits in ${inventoryWaits.length} spell(s), ${fmt(
        inventoryWaits.reduce((s, w) => s + w, 0),
        0,
      )} s in all, longest ${fmt(Math.max(0, ...inventoryWaits), 0)} s; ` +
        `catalog waiting in ${Math.round((100 * budgetSamples.filter((s) => s.waiting.includes('catalog')).length) / Math.max(1, budgetSamples.length))} % of the samples`,
    );
    console.log(`  JOOR windows (sandbox)`);
    for (const w of windowStarts) {
      const inWindow = phase1Calls.filter((c) => windowOf(Date.parse(c.at)) === w && c.status < 300);
      const stockCredits = inWindow.filter(isStockCall).reduce((s, c) => s + c.credits, 0);
      const all = inWindow.reduce((s, c) => s + c.credits, 0);
      console.log(
        `    from ${rel(w).padEnd(8)} ${String(joorWindows.get(new Date(w).toISOString()) ?? all).padStart(3)} credits used: stock calls ${stockCredits} (${inWindow.filter(isStockCall).length}), ` +
          `catalog and the rest ${all - stockCredits}; stock calls at ${
            inWindow
              .filter(isStockCall)
              .map((c) => `+${Math.round(secondsBetween(w, Date.parse(c.at)))}`)
              .join(' ') || '-'
          } s into the window`,
      );
    }
    console.log(
      `  where the seconds went     change -> start of the run that sent it: p50 ${fmt(percentile(pollWaits, 50))}, max ${fmt(Math.max(0, ...pollWaits))}; ` +
        `run start -> its stock call (AMC reads, waiting for credits): p50 ${fmt(percentile(inRunWaits, 50))}, max ${fmt(Math.max(0, ...inRunWaits))}  (${inRunWaits.length} of ${changes.length} changes attributed)`,
    );
    console.log(`  peak RSS of inventory-sync ${fmt(phase1InventoryRssMb)} MB`);
    console.log(`  each change (seconds after the change): the inventory run that sent it started, its stock call reached JOOR, JOOR's state showed it`);
    for (const c of carried) {
      const { change, call, run } = c;
      const skipped = inventoryRuns.filter((x) => x.details?.skipped && x.queuedAt.getTime() >= change.changedAt && x.queuedAt.getTime() <= (change.shownAt ?? measureTo)).length;
      console.log(
        `    #${String(change.n).padStart(2)} ${rel(change.changedAt).padEnd(8)} SKU ${change.skuId.padEnd(6)} ${String(change.from).padStart(4)} -> ${String(change.to).padEnd(4)} ` +
          `run ${run ? `${fmt(secondsBetween(change.changedAt, run.startedAt!.getTime()))} (${run.trigger})` : '?'}, call ${call ? fmt(secondsBetween(change.changedAt, Date.parse(call.at))) : '?'}, ` +
          `shown ${change.shownAt === null ? 'never' : fmt(secondsBetween(change.changedAt, change.shownAt))}` +
          `${skipped ? `; ${skipped} scheduled run(s) skipped meanwhile (another inventory run going)` : ''}${change.catalogRunningAtChange ? '' : ' (catalog finished)'}`,
      );
    }

    console.log(`\nphase 2: one full inventory run at JOOR's limit (the catalog put on JOOR beforehand with the limit lifted, in ${fmt(catalogDone.seconds)} s)`);
    console.log(
      `  run                        ${r.status}${r.error ? ` (${r.error})` : ''}: created ${r.countCreated}, updated ${r.countUpdated}, unchanged ${r.countUnchanged}, failed ${r.countFailed}`,
    );
    console.log(`  rows                       ${rowsTaken} taken by JOOR (JOOR shows ${rowsOnJoor} in "${warehouse.joor}")`);
    console.log(
      `  stock calls                ${stockCalls2.length} POST /v2/bulk-inventory (${Object.entries(
        stockCalls2.reduce<Record<number, number>>((acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }), {}),
      )
        .map(([s, n]) => `${n} x ${s}`)
        .join(', ')})`,
    );
    console.log(`  credits                    ${r.creditsSpent} (run record); ${phase2Calls.reduce((s, c) => s + c.credits, 0)} on JOOR's call log`);
    console.log(`  floor                      ${floor} = ceil(${rowsTaken} / ${rowsPerCall}) x ${WRITE_CREDITS}`);
    console.log(`  ratio                      ${fmt(ratio, 4)}  (target <= ${FULL_RUN_RATIO_TARGET}: ${verdict(ratio <= FULL_RUN_RATIO_TARGET)})`);
    console.log(`  429s received              ${throttled2}  (target 0: ${verdict(throttled2 === 0)})`);
    console.log(`  wall time                  ${fmt(fullDone.seconds)} s (${fmt(rowsTaken / fullDone.seconds, 0)} rows/s)`);
    console.log(`  peak RSS of inventory-sync ${fmt(fullRssMb)} MB`);
    console.log(`\nbenchmark wall time ${fmt(secondsBetween(benchStarted, Date.now()) / 60)} min`);
  } finally {
    for (const q of queues) await q.close().catch(() => undefined);
    for (const p of procs.reverse()) await p.stop().catch(() => undefined);
    for (const prefix of prefixes) await clearRedisPrefix(redisUrl, prefix).catch(() => undefined);
    redis.disconnect();
    await dataSource?.destroy().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(`bench-inventory failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
