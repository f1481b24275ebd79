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
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '@app/common';
import { freePort } from '@app/util';
import { addJob, CATALOG_SYNC_JOB, isFinalRunStatus, QUEUES } from '@app/contracts';
import { ConnectionEntity, buildDataSourceOptions, ConnectionRepository, runMigrations, SecretCipher, SyncRunEntity } from '@app/persistence';

const ROOT = join(__dirname, '..', '..');
const DEV_KEY = '6465762d6f6e6c792d6b65792d2d6e657665722d7573652d696e2d70726f6421';
const JOOR_CREDS = { clientId: 'joor-sandbox-client', clientSecret: 'joor-sandbox-client-secret', username: 'brand@example.com', password: 'joor-sandbox-password', v2Token: 'joor-sandbox-v2-token' };
const AMC_TOKEN = 'amc-bench-token';
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

class Proc {
  readonly output: string[] = [];
  readonly child: ChildProcess;
  constructor(
    readonly name: string,
    env: NodeJS.ProcessEnv,
    readonly port: number,
  ) {
    this.child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], { env: { PATH: process.env.PATH, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [this.child.stdout, this.child.stderr]) s?.on('data', (c: Buffer) => this.output.push(...c.toString().split('\n').filter(Boolean).slice(-50)));
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async ready(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.output.slice(-20).join('\n')}`);
      const res = await fetch(`${this.url}/health/ready`).catch(() => null);
      if (res?.status === 200) return;
      await sleep(200);
    }
    throw new Error(`${this.name} not ready in ${timeoutMs} ms:\n${this.output.slice(-20).join('\n')}`);
  }
  /** V8 heap in use now (prom-client's default metric), MB. */
  async heapUsedMb(): Promise<number> {
    const text = await fetch(`${this.url}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text);
    return m ? Number(m[1]) / 1024 / 1024 : 0;
  }

  /** Peak resident set size so far (VmHWM), MB. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000).then(() => this.child.kill('SIGKILL'))]);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function http(method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
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
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const dbName = `bench_catalog_${randomBytes(4).toString('hex')}`;
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${dbName}"`);
  const procs: Proc[] = [];
  let dataSource: DataSource | null = null;
  try {
    await runMigrations(dbUrl);
    dataSource = new DataSource(buildDataSourceOptions(dbUrl, { applicationName: 'bench-catalog' }));
    await dataSource.initialize();
    const connections = new ConnectionRepository(dataSource.getRepository(ConnectionEntity), new SecretCipher(Buffer.from(DEV_KEY, 'hex')));

    const amc = new Proc(
      'amc-sandbox',
      { NODE_ENV: 'development', DATABASE_URL: dbUrl, REDIS_URL: redisUrl, AMC_SANDBOX_TOKEN: AMC_TOKEN, AMC_SANDBOX_SEED_STYLES: '0', LOG_LEVEL: 'warn' },
      await freePort(),
    );
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
      const joorDb = `${dbName}`; // the JOOR sandbox keeps its own schema in the same database
      const joor = new Proc(
        'joor-sandbox',
        {
          NODE_ENV: 'development',
          DATABASE_URL: Object.assign(new URL(adminUrl), { pathname: `/${joorDb}` }).toString(),
          REDIS_URL: redisUrl,
          JOOR_SANDBOX_CREDITS_PER_WINDOW: String(phase.credits),
          JOOR_SANDBOX_WINDOW_SECONDS: String(phase.seconds),
          JOOR_SANDBOX_SEED_STYLES: '1',
          JOOR_SANDBOX_FETCH_ASSETS: 'false',
          LOG_LEVEL: 'warn',
        },
        await freePort(),
      );
      procs.push(joor);
      await joor.ready();
      const seeded = await http('POST', `${joor.url}/_sandbox/seed`, { styles: args.styles, seed: args.seed, customers: 20, orders: 0 });
      await http('DELETE', `${joor.url}/_sandbox/credits`);
      const queuePrefix = `bench-cat-${randomBytes(3).toString('hex')}`;
      const windowMs = phase.seconds * 1000;
      const sync = new Proc(
        'catalog-sync',
        {
          NODE_ENV: 'development',
          DATABASE_URL: dbUrl,
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: queuePrefix,
          LOG_LEVEL: 'warn',
          ...(args.syncNodeOptions ? { NODE_OPTIONS: args.syncNodeOptions } : {}),
          AMC_REQUESTS_PER_SECOND: '20',
          JOOR_CREDITS_PER_WINDOW: String(phase.credits),
          JOOR_CREDIT_WINDOW_SECONDS: String(phase.seconds),
          // The budget's bounds scale with the window (margin at most window/20, release window/10).
          JOOR_CREDIT_MARGIN_MS: String(Math.min(1000, windowMs / 20)),
          JOOR_CREDIT_RESERVE_RELEASE_MS: String(Math.min(3000, windowMs / 10)),
          JOOR_RATE_RESET_PRECISION_MS: '1',
        },
        await freePort(),
      );
      procs.push(sync);
      await sync.ready();
      const base = new URL(joor.url).toString().replace(/\/$/, '');
      const connection = await connections.create(
        {
          name: `bench-${n}`,
          amcBaseUrl: amc.url,
          joorAuthUrl: `${base}/auth/`,
          joorV4BaseUrl: `${base}/v4`,
          joorV2BaseUrl: `${base}/v2`,
          joorAccountId: String(seeded.accountId),
          joorClientId: JOOR_CREDS.clientId,
          joorUsername: JOOR_CREDS.username,
        },
        { amcToken: AMC_TOKEN, joorClientSecret: JOOR_CREDS.clientSecret, joorPassword: JOOR_CREDS.password, joorV2Token: JOOR_CREDS.v2Token },
        { defaultCurrency: 'USD' },
      );
      const queue = new Queue(QUEUES.catalog, { connection: redisOptionsFromUrl(redisUrl), prefix: queuePrefix });
      let peakHeap = 0;
      const runOnce = async (tag: string) => {
        const run = await dataSource!.getRepository(SyncRunEntity).save({ connectionId: connection.id, kind: 'styles', trigger: 'manual', status: 'queued', details: { full: true } });
        let seq = (await http('GET', `${joor.url}/_sandbox/calls?limit=1`)).lastSeq as number;
        let throttled = 0;
        let writeCredits = 0;
        const drain = async () => {
          for (;;) {
            const page = await http('GET', `${joor.url}/_sandbox/calls?since=${seq}&limit=5000`);
            for (const call of page.calls) {
              if (call.status === 429) throttled++;
              if (call.method !== 'GET') writeCredits += call.credits;
            }
            if (page.calls.length === 0 || page.lastSeq === seq) return;
            seq = page.lastSeq;
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
            const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sync.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
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
    await dataSource?.destroy().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(`bench-catalog failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
