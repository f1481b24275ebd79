/**
 * `npm run bench:media -- --styles N [--seed S] [--media-node-options "--max-old-space-size=192"]`
 *
 * Seeds both sandboxes with N styles, runs catalog-sync and media-sync as their own processes, puts
 * the catalog on JOOR with images off (no follow-ups), turns images on and runs one full images sync,
 * then an unchanged re-run. Prints the credits the images run spent against their floor (the bulk
 * asset calls the assets on JOOR need at 100 a call, x 5 credits: one product-level and one
 * color-level count, from the JOOR sandbox's state), images per second with JOOR's credit limit
 * lifted, the peak RSS of media-sync, 429s, and the credits of the unchanged re-run. Every image is
 * checked against the AMC sandbox's image server (HEADs); the JOOR sandbox does not download them.
 * Needs PostgreSQL and Redis (DATABASE_URL's server, REDIS_URL; development defaults) and the build.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '@app/common';
import { addJob, CATALOG_SYNC_JOB, MEDIA_SYNC_JOB, QUEUES, type SyncKind } from '@app/contracts';
import { SyncRunEntity } from '@app/persistence';
import { freePort } from '@app/util';
import {
  amcSandboxEnv,
  CallLogReader,
  clearRedisPrefix,
  connectionRepository,
  createBenchConnection,
  createBenchDatabase,
  http,
  joorSandboxEnv,
  openBenchDataSource,
  Proc,
  syncServiceEnv,
  waitForRunEnd,
} from './bench-kit';

/** Assets per bulk asset call: JOOR's (and the sandbox's) bulk maximum, media-sync's default. */
const PER_CALL = 100;
const LIFTED = { credits: 1_000_000, seconds: 300 };

function parseArgs(argv: string[]): { styles: number; seed: number; mediaNodeOptions: string } {
  const args = { styles: 200, seed: 1, mediaNodeOptions: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--styles') args.styles = Number(argv[++i]);
    // NODE_OPTIONS for the media-sync process (e.g. the heap cap docker-compose.yml sets).
    else if (argv[i] === '--media-node-options') args.mediaNodeOptions = argv[++i] ?? '';
    else if (argv[i] === '--seed') args.seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(args.styles) || args.styles < 1 || args.styles > 25_000) throw new Error('--styles must be 1..25000');
  return args;
}

interface Tally {
  credits: number;
  writeCredits: number;
  assetCalls: number;
  reads: number;
  throttled: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { redisUrl, dbUrl, drop } = await createBenchDatabase('media');
  const queuePrefix = `bench-media-${randomBytes(3).toString('hex')}`;
  const procs: Proc[] = [];
  let dataSource: DataSource | null = null;
  const queues: Queue[] = [];
  try {
    dataSource = await openBenchDataSource(dbUrl, 'bench-media');
    const connections = connectionRepository(dataSource);
    const seedBody = { styles: args.styles, seed: args.seed, customers: 1, orders: 0 };

    const amc = new Proc('amc-sandbox', amcSandboxEnv(dbUrl, redisUrl), await freePort());
    const joor = new Proc('joor-sandbox', joorSandboxEnv(dbUrl, redisUrl, LIFTED), await freePort());
    procs.push(amc, joor);
    await Promise.all([amc.ready(), joor.ready()]);
    process.stdout.write(`seeding both sandboxes with ${args.styles} styles... `);
    await http('POST', `${amc.url}/_sandbox/seed`, seedBody);
    const seeded = await http('POST', `${joor.url}/_sandbox/seed`, seedBody);
    await http('DELETE', `${joor.url}/_sandbox/credits`);
    console.log('done');

    const env = syncServiceEnv(dbUrl, redisUrl, queuePrefix, LIFTED, { AMC_REQUESTS_PER_SECOND: '50' });
    const catalog = new Proc('catalog-sync', env, await freePort());
    const media = new Proc('media-sync', { ...env, ...(args.mediaNodeOptions ? { NODE_OPTIONS: args.mediaNodeOptions } : {}) }, await freePort());
    procs.push(catalog, media);
    await Promise.all([catalog.ready(), media.ready()]);
    const idleRss = media.rssMb();
    const connection = await createBenchConnection(connections, 'bench-media', amc.url, joor.url, String(seeded.accountId), { syncImages: false });
    const catalogQueue = new Queue(QUEUES.catalog, { connection: redisOptionsFromUrl(redisUrl), prefix: queuePrefix });
    const mediaQueue = new Queue(QUEUES.media, { connection: redisOptionsFromUrl(redisUrl), prefix: queuePrefix });
    queues.push(catalogQueue, mediaQueue);

    const runOnce = async (kind: SyncKind, tag: string): Promise<{ run: SyncRunEntity; wall: number; tally: Tally }> => {
      const run = await dataSource!.getRepository(SyncRunEntity).save({ connectionId: connection.id, kind, trigger: 'manual', status: 'queued', details: { full: true } });
      const calls = new CallLogReader(joor.url);
      await calls.mark();
      const started = Date.now();
      const payload = { connectionId: connection.id, runId: run.id, trigger: 'manual' as const, full: true };
      if (kind === 'styles') await addJob(catalogQueue, QUEUES.catalog, CATALOG_SYNC_JOB, payload, { jobId: `bench-${tag}-${run.id}` });
      else await addJob(mediaQueue, QUEUES.media, MEDIA_SYNC_JOB, payload, { jobId: `bench-${tag}-${run.id}` });
      const last = await waitForRunEnd(dataSource!, run.id);
      const wall = (Date.now() - started) / 1000;
      const tally: Tally = { credits: 0, writeCredits: 0, assetCalls: 0, reads: 0, throttled: 0 };
      for (const call of await calls.read()) {
        tally.credits += call.credits;
        if (call.status === 429) tally.throttled++;
        if (call.method === 'GET') tally.reads++;
        else tally.writeCredits += call.credits;
        if (call.method === 'POST' && call.path.startsWith('/v4/assets')) tally.assetCalls++;
      }
      return { run: last, wall, tally };
    };

    process.stdout.write('catalog sync (images off)... ');
    const catalogRun = await runOnce('styles', 'catalog');
    console.log(`${catalogRun.run.status} in ${catalogRun.wall.toFixed(1)} s`);
    await connections.update(connection.id, { settings: { syncImages: true } });
    process.stdout.write('images sync (full)... ');
    const first = await runOnce('images', 'media');
    console.log(`${first.run.status} in ${first.wall.toFixed(1)} s`);
    const assets: Array<{ level: string; external_id: string | null }> = await http('GET', `${joor.url}/_sandbox/state/assets`);
    const productAssets = assets.filter((a) => a.level === 'product').length;
    const colorAssets = assets.filter((a) => a.level === 'color').length;
    const floor = (Math.ceil(productAssets / PER_CALL) + Math.ceil(colorAssets / PER_CALL)) * 5;
    const peakRss = media.peakRssMb();
    process.stdout.write('unchanged re-run... ');
    const rerun = await runOnce('images', 'rerun');
    console.log(`${rerun.run.status} in ${rerun.wall.toFixed(1)} s`);
    const events: Array<{ reason: string }> = await dataSource.query(`SELECT reason FROM sync_event WHERE run_id = $1 AND level = 'error' LIMIT 5`, [first.run.id]);

    console.log(
      `\n=== media benchmark: ${args.styles} styles (seed ${args.seed}), JOOR's credit limit lifted${args.mediaNodeOptions ? `, media-sync NODE_OPTIONS="${args.mediaNodeOptions}"` : ''} ===`,
    );
    console.log(`  images run status           ${first.run.status}${first.run.error ? ` (${first.run.error})` : ''}`);
    console.log(
      `  image sets                  ${JSON.stringify({ created: first.run.countCreated, updated: first.run.countUpdated, unchanged: first.run.countUnchanged, failed: first.run.countFailed })}`,
    );
    console.log(`  assets on JOOR              ${assets.length} (${productAssets} product-level, ${colorAssets} color-level and swatches)`);
    console.log(`  credits spent               ${first.run.creditsSpent}  (JOOR's log: ${first.tally.credits}; ${first.tally.assetCalls} bulk asset calls, ${first.tally.reads} reads)`);
    console.log(`  floor                       ${floor}  ((ceil(${productAssets} / ${PER_CALL}) + ceil(${colorAssets} / ${PER_CALL})) bulk calls x 5)`);
    console.log(`  ratio                       ${(first.run.creditsSpent / floor).toFixed(4)}  (target <= 1.05)`);
    console.log(`  wall time                   ${first.wall.toFixed(1)} s`);
    console.log(`  images per second           ${(assets.length / first.wall).toFixed(1)}  (each checked with a HEAD against the AMC sandbox, then sent)`);
    console.log(`  peak RSS of media-sync      ${peakRss.toFixed(1)} MB  (target < 200 MB at 2,000 styles; ${idleRss.toFixed(1)} MB when ready, before any run)`);
    console.log(`  429s received              ${first.tally.throttled + rerun.tally.throttled}  (target 0)`);
    console.log(
      `  unchanged re-run            ${rerun.run.status}: ${rerun.run.creditsSpent} credits, of them write credits ${rerun.tally.writeCredits}  (target 0 write), ${rerun.wall.toFixed(1)} s`,
    );
    if (events.length) console.log(`  first error events          ${events.map((e) => e.reason).join('\n                              ')}`);
  } finally {
    for (const q of queues) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close().catch(() => undefined);
    }
    for (const p of procs.reverse()) await p.stop().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await clearRedisPrefix(redisUrl, queuePrefix).catch(() => undefined);
    await drop().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(`bench-media failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
