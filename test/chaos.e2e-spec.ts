import { testServices } from '@app/testing';
import { ChaosWorld } from '../scripts/chaos/chaos-world';
import { cleanRun, runTrial, trialPassed, type ScenarioName, type TrialResult, type TrialSettings } from '../scripts/chaos/scenarios';
import { chaosTable } from '../scripts/chaos/report';
import type { WorldState } from '../scripts/chaos/world-state';

/**
 * The chaos run's short version for `npm test` (the full one is `npm run chaos`): the mesh as
 * processes on a Redis and a PostgreSQL of its own, a small brand, two kill -9 trials, one
 * Redis restart and one PostgreSQL restart mid-sync, each compared with a clean run's end state.
 */
const SEED = Number(process.env.CHAOS_SEED ?? 11);
const SETTINGS: TrialSettings = { durationMs: 25_000, settleTimeoutMs: 150_000, storeDownMs: 6_000, faultRate: 0.3, budgetLimit: { credits: 40, seconds: 20 } };
const TRIAL_TIMEOUT_MS = 6 * 60_000;

describe(`chaos, short (seed ${SEED}; CHAOS_SEED replays, npm run chaos is the full run)`, () => {
  let world: ChaosWorld;
  let reference: WorldState;
  const results: TrialResult[] = [];

  beforeAll(async () => {
    const services = testServices();
    process.env.DATABASE_URL = services.adminDatabaseUrl;
    process.env.REDIS_URL = services.redisUrl;
    world = await ChaosWorld.open({ styles: 12, seed: SEED, limit: { credits: 300, seconds: 20 } });
    const clean = await cleanRun(world, SETTINGS, () => undefined);
    reference = clean.state;
    results.push(clean.result);
  }, TRIAL_TIMEOUT_MS);

  afterAll(async () => {
    await world?.close();
    if (results.length > 1) console.log(chaosTable(results));
  }, 120_000);

  it('the clean run itself leaves the expected kind of state (orders in AMC, products on JOOR)', () => {
    expect(Object.keys(reference.joor.products).length).toBeGreaterThan(0);
    expect(Object.keys(reference.amc.orders).length).toBeGreaterThan(0);
  });

  const trials: Array<[ScenarioName, number, string]> = [
    ['kill', 1, 'kill -9 of a random sync service, restarted'],
    ['kill', 2, 'another kill -9 at another moment'],
    ['stores', 1, 'Redis stopped mid-sync and started again'],
    ['stores', 2, 'PostgreSQL stopped mid-sync and started again'],
  ];
  it.each(trials)(
    '%s trial %i (%s): no order lost or doubled, none wrongly Failed, no run stuck, the end state equal to the clean run',
    async (scenario, trial) => {
      const result = await runTrial(world, scenario, trial, SETTINGS, reference, () => undefined);
      results.push(result);
      expect({ passed: trialPassed(result), error: result.error, events: result.events, findings: findingsOf(result) }).toEqual({
        passed: true,
        error: null,
        events: expect.any(Array),
        findings: [],
      });
      if (scenario === 'stores') {
        expect(result.notReadySeen).toBe(true);
        expect(result.readyAfterSeconds).not.toBeNull();
      }
      expect(result.events.length).toBe(1);
    },
    TRIAL_TIMEOUT_MS,
  );
});

function findingsOf(r: TrialResult): string[] {
  return [
    ...r.lostOrders.map((o) => `lost ${o}`),
    ...r.duplicateOrders.map((o) => `duplicate ${o}`),
    ...r.wronglyFailed.map((o) => `wrongly Failed ${o}`),
    ...r.stuckRuns.map((o) => `stuck ${o}`),
    ...r.diedByThemselves.map((s) => `${s} died by itself`),
    ...r.diffLines,
    ...(r.readyAfterSeconds !== null && r.readyAfterSeconds > 60 ? [`ready only after ${r.readyAfterSeconds} s`] : []),
  ];
}
