/**
 * `npm run chaos [-- --trials N] [--seed S] [--styles N] [--scenarios kill,stores,faults,budget] [--duration SECONDS]`
 *
 * Runs the mesh as separate processes (gateway and the five sync services on a Redis and a
 * PostgreSQL of the run's own) against both sandboxes with a generated brand: first a clean run
 * of the mixed workload, then each scenario's trials (kill -9 of a random sync service restarted
 * as Kubernetes would, Redis or PostgreSQL restarted mid-sync, a share of AMC and JOOR calls
 * faulted throughout, a second brand on the same mesh with every sync of both on its JOOR
 * account's credits). Every trial ends with a settling pass without faults, and its whole end
 * state (JOOR and AMC sandboxes) is compared with the clean run's. Prints one table; exits 1 when
 * any trial fails. `--trials` sets the kill trials (stores and faults run max(2, trials/10), budget
 * max(1, trials/20)).
 * Needs the shared PostgreSQL and Redis (DATABASE_URL, REDIS_URL) for the sandboxes, and
 * redis-server and PostgreSQL's programs installed for the mesh's own stores.
 */
import { ORDER_TARGET_SECONDS, STOCK_SLACK_SECONDS, TRIAL_INVENTORY_POLL_SECONDS } from './chaos/budget';
import { ChaosWorld } from './chaos/chaos-world';
import { cleanRun, runTrial, SCENARIOS, trialPassed, type ScenarioName, type TrialResult, type TrialSettings } from './chaos/scenarios';
import { budgetTable, chaosTable, describeState } from './chaos/report';

interface Args {
  trials: number;
  seed: number;
  styles: number;
  scenarios: ScenarioName[];
  durationSeconds: number;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const whole = (name: string, fallback: number, min: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min} (got "${raw}")`);
    return n;
  };
  const scenarios = (value('scenarios') ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()) as ScenarioName[];
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
  return { trials: whole('trials', 20, 1), seed: whole('seed', 7, 0), styles: whole('styles', 24, 4), scenarios, durationSeconds: whole('duration', 20, 10) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const settings: TrialSettings = { durationMs: args.durationSeconds * 1000, settleTimeoutMs: 150_000, storeDownMs: 8_000, faultRate: 0.3, budgetLimit: { credits: 40, seconds: 20 } };
  // Budget trials are long (two brands, two settling passes) and each already measures dozens of changes: one per 20 kill trials.
  const trialsOf = (scenario: ScenarioName) => (scenario === 'kill' ? args.trials : scenario === 'budget' ? Math.max(1, Math.round(args.trials / 20)) : Math.max(2, Math.round(args.trials / 10)));
  const log = (line: string) => console.log(line);
  console.log(
    `chaos: seed ${args.seed}, ${args.styles} styles, workload ${args.durationSeconds} s; ` + args.scenarios.map((s) => `${s} ${trialsOf(s)} trial(s)`).join(', ') + ` (replay: --seed ${args.seed})`,
  );
  const world = await ChaosWorld.open({ styles: args.styles, seed: args.seed, limit: { credits: 300, seconds: 20 } });
  // Stopped by hand: the run's own Redis, PostgreSQL and processes go with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping the mesh, the sandboxes and the run's own stores...`);
      void world.close().finally(() => process.exit(130));
    });
  }
  const results: TrialResult[] = [];
  try {
    console.log('clean run (the reference)...');
    const clean = await cleanRun(world, settings, log);
    results.push(clean.result);
    console.log(`  done in ${clean.result.seconds.toFixed(0)} s; ${describeState(clean.state)}`);
    for (const scenario of args.scenarios) {
      for (let trial = 1; trial <= trialsOf(scenario); trial++) {
        console.log(`${scenario} trial ${trial}/${trialsOf(scenario)}...`);
        const result = await runTrial(world, scenario, trial, settings, clean.state, log);
        results.push(result);
        const struck = result.inFlight.length ? ` (struck while running: ${result.inFlight.join('; ')})` : '';
        const faulted = result.faultsInjected ? ` (${result.faultsInjected.amc} AMC and ${result.faultsInjected.joor} JOOR calls faulted)` : '';
        console.log(`  ${trialPassed(result) ? 'passed' : 'FAILED'} in ${result.seconds.toFixed(0)} s${struck}${faulted}${result.error ? `: ${result.error}` : ''}`);
        for (const line of result.diffLines) console.log(`    ${line}`);
      }
    }
  } finally {
    await world.close();
  }
  console.log('');
  console.log(chaosTable(results));
  const budget = budgetTable(results);
  if (budget)
    console.log(
      `\nbudget (targets: 0 answers 429; stock p95 <= inventoryPollSeconds ${TRIAL_INVENTORY_POLL_SECONDS} + ${STOCK_SLACK_SECONDS} s; an order polled on demand in AMC within ${ORDER_TARGET_SECONDS} s):\n${budget}`,
    );
  console.log(`\nwhole run: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  process.exit(results.filter((r) => r.scenario !== 'clean').every(trialPassed) ? 0 : 1);
}

main().catch((err) => {
  console.error(`chaos failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
