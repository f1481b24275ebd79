/**
 * `npm run bench:customers -- --customers N [--seed S] [--window-seconds W] [--skip-lifted]`
 *
 * Seeds both sandboxes with a brand of N AMC customers (about 3 in 4 with a JOOR code, most of those
 * already on JOOR), runs customer-sync as its own process and a full customer sync, and prints the
 * credits spent against their floor (one bulk-connection call per 1,000 customers to send, 5 credits
 * each), wall time, customers per second, peak RSS of customer-sync, 429s, and the credits of an
 * unchanged re-run. Phase 1 keeps JOOR's limit, 300 credits per 300 s window (a full sync of 5,000
 * customers needs a few dozen credits, so the real window costs no time); phase 2 lifts the limit to
 * show the pipeline's own speed. Credits come from the JOOR sandbox's call log.
 * Needs PostgreSQL and Redis (DATABASE_URL's server, REDIS_URL; development defaults) and the build.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '@app/common';
import { addJob, CUSTOMER_SYNC_JOB, QUEUES } from '@app/contracts';
import { SyncRunEntity } from '@app/persistence';
import { generateBrand } from '@app/sandbox-seed';
import { freePort } from '@app/util';
import {
  amcSandboxEnv,
  CallLogReader,
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

/** Customers per bulk-connection call: what JOOR (our sandbox) takes, and customer-sync's default batch. */
const PER_CALL = 1_000;

interface Args {
  customers: number;
  seed: number;
  windowSeconds: number;
  lifted: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { customers: 1000, seed: 1, windowSeconds: 300, lifted: true };
  for (let i = 0; i < argv.length; i++) {
    const next = () => Number(argv[++i]);
    if (argv[i] === '--customers') args.customers = next();
    else if (argv[i] === '--seed') args.seed = next();
    else if (argv[i] === '--window-seconds') args.windowSeconds = next();
    else if (argv[i] === '--skip-lifted') args.lifted = false;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(args.customers) || args.customers < 1 || args.customers > 200_000) throw new Error('--customers must be 1..200000');
  if (!Number.isInteger(args.windowSeconds) || args.windowSeconds < 1) throw new Error('--window-seconds must be a positive whole number');
  return args;
}

interface CallTally {
  credits: number;
  writeCredits: number;
  writes: number;
  lookups: number;
  throttled: number;
}

interface PhaseResult {
  label: string;
  status: string;
  counts: Record<string, number>;
  credits: number;
  calls: CallTally;
  floor: number;
  wallSeconds: number;
  customersPerSecond: number;
  peakRssMb: number;
  rerun: { credits: number; calls: CallTally; seconds: number; status: string };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { redisUrl, dbUrl, drop } = await createBenchDatabase('customers');
  const procs: Proc[] = [];
  let dataSource: DataSource | null = null;
  try {
    dataSource = await openBenchDataSource(dbUrl, 'bench-customers');
    const connections = connectionRepository(dataSource);
    const seedBody = { styles: 1, seed: args.seed, customers: args.customers, orders: 0 };
    // The floor, from the brand itself: its active customers with a JOOR code, one call per PER_CALL of them.
    const brand = generateBrand(seedBody);
    const toSend = brand.amc.customers.filter((c) => c.status === 'active' && c.joor_customer_code.trim() !== '').length;
    const floor = Math.ceil(toSend / PER_CALL) * 5;

    const amc = new Proc('amc-sandbox', amcSandboxEnv(dbUrl, redisUrl), await freePort());
    procs.push(amc);
    await amc.ready();
    process.stdout.write(`seeding AMC with ${args.customers} customers... `);
    await http('POST', `${amc.url}/_sandbox/seed`, seedBody);
    console.log('done');

    const phases = [
      { label: `JOOR's limit: 300 credits per ${args.windowSeconds} s window${args.windowSeconds === 300 ? ' (as JOOR)' : ' (window shortened)'}`, credits: 300, seconds: args.windowSeconds },
      ...(args.lifted ? [{ label: 'limit lifted (1,000,000 credits per window)', credits: 1_000_000, seconds: 300 }] : []),
    ];
    const results: PhaseResult[] = [];
    for (const [n, phase] of phases.entries()) {
      const joor = new Proc('joor-sandbox', joorSandboxEnv(dbUrl, redisUrl, phase), await freePort());
      procs.push(joor);
      await joor.ready();
      const seeded = await http('POST', `${joor.url}/_sandbox/seed`, seedBody);
      await http('DELETE', `${joor.url}/_sandbox/credits`);
      const queuePrefix = `bench-cust-${randomBytes(3).toString('hex')}`;
      const sync = new Proc('customer-sync', syncServiceEnv(dbUrl, redisUrl, queuePrefix, phase, { AMC_REQUESTS_PER_SECOND: '20' }), await freePort());
      procs.push(sync);
      await sync.ready();
      const connection = await createBenchConnection(connections, `bench-customers-${n}`, amc.url, joor.url, String(seeded.accountId), {});
      const queue = new Queue(QUEUES.customer, { connection: redisOptionsFromUrl(redisUrl), prefix: queuePrefix });
      const runOnce = async (tag: string) => {
        const run = await dataSource!.getRepository(SyncRunEntity).save({ connectionId: connection.id, kind: 'customers', trigger: 'manual', status: 'queued', details: { full: true } });
        const calls = new CallLogReader(joor.url);
        await calls.mark();
        const tally: CallTally = { credits: 0, writeCredits: 0, writes: 0, lookups: 0, throttled: 0 };
        const drain = async () => {
          for (const call of await calls.read()) {
            if (call.status === 429) tally.throttled++;
            tally.credits += call.credits;
            if (call.method !== 'GET') {
              tally.writeCredits += call.credits;
              tally.writes++;
            } else if (call.path.startsWith('/v2/connection/')) tally.lookups++;
          }
        };
        const started = Date.now();
        await addJob(queue, QUEUES.customer, CUSTOMER_SYNC_JOB, { connectionId: connection.id, runId: run.id, trigger: 'manual', full: true }, { jobId: `bench-${tag}-${run.id}` });
        const last = await waitForRunEnd(dataSource!, run.id);
        const wall = (Date.now() - started) / 1000;
        await drain();
        return { run: last, wall, tally };
      };
      console.log(`\nphase ${n + 1}: ${phase.label}`);
      const first = await runOnce('full');
      const rerun = await runOnce('rerun');
      results.push({
        label: phase.label,
        status: `${first.run.status}${first.run.error ? ` (${first.run.error})` : ''}`,
        counts: {
          created: first.run.countCreated,
          updated: first.run.countUpdated,
          unchanged: first.run.countUnchanged,
          failed: first.run.countFailed,
          skipped: Number((first.run.details as { skipped?: number }).skipped ?? 0),
        },
        credits: first.run.creditsSpent,
        calls: first.tally,
        floor,
        wallSeconds: first.wall,
        customersPerSecond: args.customers / first.wall,
        peakRssMb: sync.peakRssMb(),
        rerun: { credits: rerun.run.creditsSpent, calls: rerun.tally, seconds: rerun.wall, status: rerun.run.status },
      });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await sync.stop();
      await joor.stop();
    }

    console.log(`\n=== customer benchmark: ${args.customers} AMC customers (seed ${args.seed}), ${toSend} of them active with a JOOR code ===`);
    for (const r of results) {
      console.log(`\n${r.label}`);
      console.log(`  run status                  ${r.status}`);
      console.log(`  customers                   ${JSON.stringify(r.counts)}`);
      console.log(`  credits spent               ${r.credits}  (JOOR's log: ${r.calls.credits}; ${r.calls.writes} bulk-connection calls, ${r.calls.lookups} look-ups)`);
      console.log(`  floor                       ${r.floor}  (ceil(${toSend} customers to send / ${PER_CALL} per call) x 5)`);
      console.log(`  ratio                       ${(r.credits / r.floor).toFixed(4)}  (target <= 1.05)`);
      console.log(`  wall time                   ${r.wallSeconds.toFixed(1)} s`);
      console.log(`  customers per second        ${r.customersPerSecond.toFixed(1)}  (AMC customers read and mapped, changed ones sent)`);
      console.log(`  peak RSS of customer-sync   ${r.peakRssMb.toFixed(1)} MB`);
      console.log(`  429s received              ${r.calls.throttled + r.rerun.calls.throttled}  (target 0)`);
      console.log(
        `  unchanged re-run            ${r.rerun.status}: ${r.rerun.credits} credits, of them write credits ${r.rerun.calls.writeCredits}  (target 0 write), ${r.rerun.seconds.toFixed(1)} s`,
      );
    }
  } finally {
    for (const p of procs.reverse()) await p.stop().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await drop().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(`bench-customers failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
