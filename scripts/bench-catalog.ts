/**
 * `npm run bench:catalog -- --styles N [--seed S] [--window-seconds W] [--skip-lifted] [--sync-node-options "--max-old-space-size=192"]`
 *
 * Seeds both sandboxes with N styles, runs catalog-sync as its own process and a full sync, and
 * prints credits spent, their lower bound and ratio, wall time, styles/s, peak RSS of
 * catalog-sync, 429s, and the credits of an unchanged re-run. Phase 1 keeps JOOR's 300 credits
 * per window but shortens the window (real windows would take hours at this size: JOOR's limit,
 * not ours); phase 2 lifts the limit to show the pipeline's own speed.
 * Needs PostgreSQL and Redis (DATABASE_URL's server, REDIS_URL; development defaults) and the build.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '@app/common';
import { freePort } from '@app/util';
import { addJob, CATALOG_SYNC_JOB, isFinalRunStatus, QUEUES } from '@app/contracts';
import { SyncRunEntity } from '@app/persistence';
import {
  amcSandboxEnv,
  CallLogReader,
  clearRedisPrefix,
  connectionRepository,
  createBenchConnection,
  createBenchDatabase,
  http,
  openBenchDataSource,
  joorSandboxEnv,
  Proc,
  sleep,
  syncServiceEnv,
} from './bench-kit';

const BULK_MAX = 100;

interface Args {
  styles: number;
  seed: number;
  windowSeconds: number;
  lifted: boolean;
  /** NODE_OPTIONS for the catalog-sync process (e.g. a heap cap a deployment would set). */
  syncNodeOptions: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { styles: 1000, seed: 1, windowSeconds: 2, lifted: true, syncNodeOptions: '' };
  for (let i = 0; i < argv.length; i++) {
    const next = () => Number(argv[++i]);
    if (argv[i] === '--styles') args.styles = next();
    else if (argv[i] === '--seed') args.seed = next();
    else if (argv[i] === '--window-seconds') args.windowSeconds = next();
    else if (argv[i] === '--skip-lifted') args.lifted = false;
    else if (argv[i] === '--sync-node-options') args.syncNodeOptions = argv[++i] ?? '';
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(args.styles) || args.styles < 1 || args.styles > 25_000) throw new Error('--styles must be 1..25000');
  return args;
}

interface PhaseResult {
  label: string;
  credits: number;
  lowerBound: number;
  ratio: number;
  wallSeconds: number;
  stylesPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
  throttled: number;
  rerunCredits: number;
  rerunSeconds: number;
  rerunWriteCredits: number;
  status: string;
  counts: Record<string, number>;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const db = await createBenchDatabase('catalog');
  const { redisUrl, dbUrl } = db;
  const procs: Proc[] = [];
  // Queue prefixes whose keys go at the end (the budget, the token cache, the stock follow-ups the catalog runs ask for).
  const prefixes: string[] = [];
  let dataSource: DataSource | null = null;
  try {
    dataSource = await openBenchDataSource(dbUrl, 'bench-catalog');
    const connections = connectionRepository(dataSource);

    const amc = new Proc('amc-sandbox', amcSandboxEnv(dbUrl, redisUrl), await freePort());
    procs.push(amc);
    await amc.ready();
    process.stdout.write(`seeding AMC with ${args.styles} styles... `);
    await http('POST', `${amc.url}/_sandbox/seed`, { styles: args.styles, seed: args.seed, customers: 20, orders: 0 });
    console.log('done');

    const results: PhaseResult[] = [];
    const phases = [
      { label: `300 credits per ${args.windowSeconds} s window (JOOR's 300 per 300 s, window shortened)`, credits: 300, seconds: args.windowSeconds },
      ...(args.lifted ? [{ label: 'limit lifted (1,000,000 credits per window)', credits: 1_000_000, seconds: 300 }] : []),
    ];
    for (const [n, phase] of phases.entries()) {
      // The JOOR sandbox keeps its own schema in the same database.
      const joor = new Proc('joor-sandbox', joorSandboxEnv(dbUrl, redisUrl, phase), await freePort());
      procs.push(joor);
      await joor.ready();
      const seeded = await http('POST', `${joor.url}/_sandbox/seed`, { styles: args.styles, seed: args.seed, customers: 20, orders: 0 });
      await http('DELETE', `${joor.url}/_sandbox/credits`);
      const queuePrefix = `bench-cat-${randomBytes(3).toString('hex')}`;
      prefixes.push(queuePrefix);
      const sync = new Proc(
        'catalog-sync',
        syncServiceEnv(dbUrl, redisUrl, queuePrefix, phase, { ...(args.syncNodeOptions ? { NODE_OPTIONS: args.syncNodeOptions } : {}), AMC_REQUESTS_PER_SECOND: '20' }),
        await freePort(),
      );
      procs.push(sync);
      await sync.ready();
      const connection = await createBenchConnection(connections, `bench-${n}`, amc.url, joor.url, String(seeded.accountId), { defaultCurrency: 'USD' });
      const queue = new Queue(QUEUES.catalog, { connection: redisOptionsFromUrl(redisUrl), prefix: queuePrefix });
      let peakHeap = 0;
      const runOnce = async (tag: string) => {
        const run = await dataSource!.getRepository(SyncRunEntity).save({ connectionId: connection.id, kind: 'styles', trigger: 'manual', status: 'queued', details: { full: true } });
        const calls = new CallLogReader(joor.url);
        await calls.mark();
        let throttled = 0;
        let writeCredits = 0;
        const drain = async () => {
          for (const call of await calls.read()) {
            if (call.status === 429) throttled++;
            if (call.method !== 'GET') writeCredits += call.credits;
          }
        };
        const started = Date.now();
        await addJob(queue, QUEUES.catalog, CATALOG_SYNC_JOB, { connectionId: connection.id, runId: run.id, trigger: 'manual', full: true }, { jobId: `bench-${tag}-${run.id}` });
        let last: SyncRunEntity | null;
        let lastPrint = 0;
        for (;;) {
          await sleep(1000);
          await drain();
          peakHeap = Math.max(peakHeap, await sync.heapUsedMb());
          last = await dataSource!.getRepository(SyncRunEntity).findOneBy({ id: run.id });
          if (Date.now() - lastPrint > 10_000 && last) {
            lastPrint = Date.now();
            const rss = sync.rssMb();
            console.log(
              `  ${tag}: ${last.status} ${last.progressDone}/${last.progressTotal ?? '?'} styles, ${last.creditsSpent} credits, ${Math.round((Date.now() - started) / 1000)} s, catalog-sync RSS ${rss.toFixed(0)} MB`,
            );
          }
          if (last && isFinalRunStatus(last.status)) break;
        }
        const wall = (Date.now() - started) / 1000;
        await drain();
        return { run: last!, wall, throttled, writeCredits };
      };
      console.log(`\nphase ${n + 1}: ${phase.label}`);
      const first = await runOnce('full');
      const state = await http('GET', `${joor.url}/_sandbox/state`);
      const counts = state.counts as Record<string, number>;
      const lowerBound = ['products', 'skus', 'prices', 'collections'].reduce((sum, k) => sum + Math.ceil((counts[k] ?? 0) / BULK_MAX) * 5, 0);
      const rerun = await runOnce('rerun');
      results.push({
        label: phase.label,
        credits: first.run.creditsSpent,
        lowerBound,
        ratio: first.run.creditsSpent / lowerBound,
        wallSeconds: first.wall,
        stylesPerSecond: args.styles / first.wall,
        peakRssMb: sync.peakRssMb(),
        peakHeapMb: peakHeap,
        throttled: first.throttled + rerun.throttled,
        rerunCredits: rerun.run.creditsSpent,
        rerunSeconds: rerun.wall,
        rerunWriteCredits: rerun.writeCredits,
        status: `${first.run.status}${first.run.error ? ` (${first.run.error})` : ''}`,
        counts: {
          created: first.run.countCreated,
          updated: first.run.countUpdated,
          unchanged: first.run.countUnchanged,
          failed: first.run.countFailed,
          ...Object.fromEntries(['products', 'skus', 'prices', 'collections'].map((k) => [`joor_${k}`, counts[k] ?? 0])),
        },
      });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await sync.stop();
      await joor.stop();
    }

    console.log(`\n=== catalog benchmark: ${args.styles} styles (seed ${args.seed})${args.syncNodeOptions ? `, catalog-sync NODE_OPTIONS="${args.syncNodeOptions}"` : ''} ===`);
    for (const r of results) {
      console.log(`\n${r.label}`);
      console.log(`  run status                 ${r.status}`);
      console.log(`  styles                     ${JSON.stringify(r.counts)}`);
      console.log(`  credits spent              ${r.credits}`);
      console.log(`  lower bound                ${r.lowerBound}  (per resource: ceil(items / ${BULK_MAX}) x 5)`);
      console.log(`  ratio                      ${r.ratio.toFixed(4)}  (target <= 1.05)`);
      console.log(`  wall time                  ${r.wallSeconds.toFixed(1)} s`);
      console.log(`  styles per second          ${r.stylesPerSecond.toFixed(1)}`);
      console.log(`  peak RSS of catalog-sync   ${r.peakRssMb.toFixed(1)} MB  (target < 300 at 5,000 styles); V8 heap in use at most ${r.peakHeapMb.toFixed(1)} MB (sampled each second)`);
      console.log(`  429s received              ${r.throttled}  (target 0)`);
      console.log(`  unchanged re-run           ${r.rerunCredits} credits, of them write credits ${r.rerunWriteCredits}  (target 0 write), ${r.rerunSeconds.toFixed(1)} s`);
    }
  } finally {
    for (const p of procs.reverse()) await p.stop().catch(() => undefined);
    for (const prefix of prefixes) await clearRedisPrefix(redisUrl, prefix).catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(`bench-catalog failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
