/**
 * The chaos scenarios and one trial of each: the world started fresh, the workload run with the
 * scenario's events (or faults), the settling pass, then the end state compared with the clean
 * run's and the invariants counted.
 */
import { Rng } from '@app/sandbox-seed';
import { http, sleep } from '../bench-kit';
import { SYNC_SERVICES, type ChaosWorld, type SyncService } from './chaos-world';
import { BudgetRun, budgetProblems, type BudgetFigures } from './budget';
import { planWorkload, runWorkload, settle, type ChaosEvent, type WorkloadPlan } from './workload';
import { amcOrderCountsByJoorId, diffWorldStates, readWorldState, type WorldState } from './world-state';

export const SCENARIOS = ['kill', 'stores', 'faults', 'budget'] as const;

const KIND_OF_SERVICE: Record<SyncService, string> = { 'catalog-sync': 'styles', 'media-sync': 'images', 'inventory-sync': 'inventory', 'customer-sync': 'customers', 'order-ingest': 'orders' };
export type ScenarioName = (typeof SCENARIOS)[number];

export interface TrialResult {
  scenario: ScenarioName | 'clean';
  trial: number;
  /** What the scenario did, with when. */
  events: string[];
  /** Entities whose end state differs from the clean run's (first lines of the diff). */
  diffCount: number;
  diffLines: string[];
  lostOrders: string[];
  duplicateOrders: string[];
  wronglyFailed: string[];
  stuckRuns: string[];
  /** Stores: seconds from the store's return until every service answered ready again (max over services). */
  readyAfterSeconds: number | null;
  /** Stores: whether readiness went to 503 while the store was down (it should). */
  notReadySeen: boolean | null;
  /** Services that died by themselves (not killed by the scenario). */
  diedByThemselves: string[];
  error: string | null;
  seconds: number;
  /** The runs in flight when each event struck (kinds), to show it struck mid-sync. */
  inFlight: string[];
  /** Faults: how many AMC and JOOR calls the sandboxes faulted. */
  faultsInjected: { amc: number; joor: number } | null;
  /** Budget: each brand's 429s, credit windows and latencies. */
  budget: BudgetFigures | null;
}

export interface TrialSettings {
  durationMs: number;
  settleTimeoutMs: number;
  /** How long a store stays down. */
  storeDownMs: number;
  /** Chance that an AMC or JOOR call is faulted in the faults scenario. */
  faultRate: number;
  /** JOOR's credit limit in the budget scenario: tight enough that a generated brand's syncs fill its windows. */
  budgetLimit: { credits: number; seconds: number };
}

/** The clean run: the same workload with nothing done to it; the reference every trial is compared with. */
export async function cleanRun(world: ChaosWorld, settings: TrialSettings, log: (line: string) => void): Promise<{ state: WorldState; result: TrialResult }> {
  let state: WorldState | null = null;
  const result = await runTrial(world, 'clean', 0, settings, null, log, (s) => (state = s));
  if (!state || result.error || result.stuckRuns.length > 0) throw new Error(`the clean run did not end cleanly: ${result.error ?? result.stuckRuns.join(', ')}`);
  return { state, result };
}

export async function runTrial(
  world: ChaosWorld,
  scenario: ScenarioName | 'clean',
  trial: number,
  settings: TrialSettings,
  reference: WorldState | null,
  log: (line: string) => void,
  keepState?: (state: WorldState) => void,
): Promise<TrialResult> {
  const started = Date.now();
  const result: TrialResult = {
    scenario,
    trial,
    events: [],
    diffCount: 0,
    diffLines: [],
    lostOrders: [],
    duplicateOrders: [],
    wronglyFailed: [],
    stuckRuns: [],
    readyAfterSeconds: null,
    notReadySeen: null,
    diedByThemselves: [],
    error: null,
    seconds: 0,
    inFlight: [],
    faultsInjected: null,
    budget: null,
  };
  const rng = Rng.stream(world.options.seed, `chaos-${scenario}-${trial}`);
  const plan = planWorkload(world.options, settings.durationMs);
  const killed = new Set<string>();
  let budget: BudgetRun | null = null;
  try {
    await world.useLimit(scenario === 'budget' ? settings.budgetLimit : world.options.limit);
    const budgetStart = scenario === 'budget' ? await BudgetRun.prepare(world) : null;
    await budgetStart?.markFirst();
    await world.startTrial(`${scenario}_${trial}`);
    if (budgetStart) budget = await budgetStart.start(plan);
    const events = scenarioEvents(world, scenario, plan, settings, rng, result, killed);
    if (scenario === 'faults') await setFaults(world, settings.faultRate);
    const workload = runWorkload(
      world.target,
      plan,
      events,
      (line) => {
        result.events.push(line.trim());
        log(line);
      },
      budget?.watches[0].times,
    );
    await (budget ? budget.during(workload, log) : workload);
    if (scenario === 'faults') result.faultsInjected = await faultsInjected(world);
    await Promise.all([world.setFaults(world.amc, []), world.setFaults(world.joor, [])]);
    for (const [service, proc] of world.mesh) if (!proc.alive && !killed.has(service)) result.diedByThemselves.push(service);
    const { stuck } = await settle(world, settings.settleTimeoutMs, log, [world.connectionId, ...(budget ? [budget.second.connectionId] : [])]);
    result.stuckRuns = stuck.map((r) => `${r.kind} ${r.status} ${r.id}`);
    if (budget) result.budget = await budget.figures();
    const state = await readWorldState(world.amc.url, world.joor.url);
    keepState?.(state);
    if (reference) compare(reference, state, result);
  } catch (err) {
    result.error = (err as Error).message;
  } finally {
    for (const [service, proc] of world.mesh) if (!proc.alive && !killed.has(service) && !result.diedByThemselves.includes(service)) result.diedByThemselves.push(service);
    await world.endTrial().catch(() => undefined);
    await budget?.second.close();
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}

export function trialPassed(r: TrialResult): boolean {
  return (
    r.error === null &&
    r.diffCount === 0 &&
    r.lostOrders.length === 0 &&
    r.duplicateOrders.length === 0 &&
    r.wronglyFailed.length === 0 &&
    r.stuckRuns.length === 0 &&
    r.diedByThemselves.length === 0 &&
    (r.readyAfterSeconds === null || r.readyAfterSeconds <= 60) &&
    r.notReadySeen !== false &&
    (r.budget === null || budgetProblems(r.budget).length === 0)
  );
}

function compare(reference: WorldState, state: WorldState, result: TrialResult): void {
  const diff = diffWorldStates(reference, state);
  result.diffCount = diff.count;
  result.diffLines = diff.lines;
  const expected = amcOrderCountsByJoorId(reference);
  const actual = amcOrderCountsByJoorId(state);
  for (const [joorId] of expected) if (!actual.has(joorId)) result.lostOrders.push(joorId);
  for (const [joorId, count] of actual) if (count > 1) result.duplicateOrders.push(`${joorId} x${count}`);
  for (const [orderId, order] of Object.entries(state.joor.orders)) {
    const status = exportStatusOf(order);
    if (status === 'failed' && exportStatusOf(reference.joor.orders[orderId]) !== 'failed') result.wronglyFailed.push(orderId);
  }
}

function exportStatusOf(order: { export_status?: unknown } | undefined): string | null {
  return typeof order?.export_status === 'string' ? order.export_status.toLowerCase() : null;
}

function scenarioEvents(world: ChaosWorld, scenario: ScenarioName | 'clean', plan: WorkloadPlan, settings: TrialSettings, rng: Rng, result: TrialResult, killed: Set<string>): ChaosEvent[] {
  if (scenario === 'kill') {
    const atMs = 2_000 + Math.floor(rng.next() * (plan.durationMs * 0.6));
    const downMs = 500 + Math.floor(rng.next() * 2_500);
    // Each service in turn (from a seeded start), so all five are killed: a kill of an idle service shows little,
    // so the workload asks that service for a run of its kind at that moment, and the kill strikes as it runs.
    const service = SYNC_SERVICES[(result.trial + Math.floor(rng.next() * SYNC_SERVICES.length)) % SYNC_SERVICES.length];
    const kind = KIND_OF_SERVICE[service];
    const strikeAfterMs = Math.floor(rng.next() * 1_500);
    // Every fifth trial kills the service again once it has taken the stalled job back: a crash loop.
    const twice = result.trial % 5 === 0;
    return [
      {
        atMs,
        label: `kill -9 ${service}`,
        act: async () => {
          await world.api('POST', `/connections/${world.connectionId}/sync/${kind}`, kind === 'orders' ? {} : { full: true });
          const running = await waitForRunning(world, 20_000, kind);
          await sleep(strikeAfterMs);
          result.inFlight.push(
            running
              .filter((r) => r.status === 'running')
              .map((r) => r.kind)
              .join('+') || 'no run',
          );
          const killAndRestart = async () => {
            killed.add(service);
            world.kill(service);
            await sleep(downMs);
            await world.restart(service);
            killed.delete(service);
          };
          await killAndRestart();
          if (!twice) return `kill -9 ${service}, restarted after ${(downMs / 1000).toFixed(1)} s`;
          // The dead process's job lock lapses, then BullMQ gives the stalled job back and a worker locks it again: kill it then.
          const back = await waitForLocks(world, service, (n) => n === 0, 60_000).then(() => waitForLocks(world, service, (n) => n > 0, 90_000));
          await killAndRestart();
          return `kill -9 ${service} twice (the second ${back ? 'as it ran the stalled job again' : 'with no job taken back within 90 s'}), restarted after ${(downMs / 1000).toFixed(1)} s`;
        },
      },
    ];
  }
  if (scenario === 'stores') {
    const store = result.trial % 2 === 1 ? 'redis' : 'postgres';
    const atMs = 5_000 + Math.floor(rng.next() * (plan.durationMs * 0.4));
    return [
      {
        atMs,
        label: `${store} stopped for ${(settings.storeDownMs / 1000).toFixed(0)} s, then started`,
        act: async () => {
          // In the middle of a sync: wait (a little) for one to run.
          const running = await waitForRunning(world, 20_000);
          result.inFlight.push(
            running
              .filter((r) => r.status === 'running')
              .map((r) => r.kind)
              .join('+') || 'no run',
          );
          await world.store(store).stop();
          let notReady = false;
          const downUntil = Date.now() + settings.storeDownMs;
          while (Date.now() < downUntil) {
            const ready = await world.readiness();
            if ([...ready.values()].some((status) => status === 503)) notReady = true;
            await sleep(250);
          }
          result.notReadySeen = notReady;
          await world.store(store).start();
          const back = Date.now();
          for (;;) {
            const ready = await world.readiness();
            if ([...ready.values()].every((status) => status === 200)) break;
            if (Date.now() - back > 120_000) throw new Error(`not ready 120 s after ${store} came back: ${JSON.stringify(Object.fromEntries(ready))}`);
            await sleep(250);
          }
          result.readyAfterSeconds = (Date.now() - back) / 1000;
        },
      },
    ];
  }
  return [];
}

/** The faults scenario: this share of AMC and JOOR calls fails, in every way the sandboxes can fail, for the whole workload. */
async function setFaults(world: ChaosWorld, rate: number): Promise<void> {
  const kinds = ['429', '500', '503', 'timeout', 'slow', 'malformed', 'mangle'];
  // A third of the faults on writes strike after the work is done (the answer lost on the way back).
  const rules = (prefix: string) => [
    { path: prefix, method: 'POST', phase: 'after', kinds: ['500', '502', '504', 'reset'], rate: rate / 3 },
    { path: prefix, method: 'PUT', phase: 'after', kinds: ['500', '502', '504', 'reset'], rate: rate / 3 },
    { path: prefix, kinds, rate },
  ];
  const timing = { timeoutMs: 2_000, slowMs: 1_500, retryAfterSeconds: 1 };
  await world.setFaults(world.amc, rules('^/(api|images)/'), timing);
  await world.setFaults(world.joor, rules('^/(v2|v4|auth)'), timing);
}

/** Waits until the service's queue holds a number of job locks that passes `test`; false at the deadline. */
async function waitForLocks(world: ChaosWorld, service: SyncService, test: (n: number) => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (test(await world.heldLocks(service).catch(() => -1))) return true;
    await sleep(200);
  }
  return false;
}

/** The unfinished runs once one (of this kind, when given) is running (polled every 100 ms), or as they are at the deadline. */
async function waitForRunning(world: ChaosWorld, timeoutMs: number, kind?: string): Promise<Array<{ kind: string; status: string }>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const runs = await world.unfinishedRuns().catch(() => []);
    if (runs.some((r) => r.status === 'running' && (kind === undefined || r.kind === kind)) || Date.now() > until) return runs;
    await sleep(100);
  }
}

async function faultsInjected(world: ChaosWorld): Promise<{ amc: number; joor: number }> {
  const count = async (url: string) => {
    const setup = await http('GET', `${url}/_sandbox/faults`);
    return (setup.rules as Array<{ injected: number }>).reduce((sum, rule) => sum + rule.injected, 0);
  };
  return { amc: await count(world.amc.url), joor: await count(world.joor.url) };
}
