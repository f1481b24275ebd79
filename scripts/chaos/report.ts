import { budgetProblems, ORDER_TARGET_SECONDS, STOCK_SLACK_SECONDS, TRIAL_INVENTORY_POLL_SECONDS, type BrandBudgetFigures } from './budget';
import { trialPassed, type TrialResult } from './scenarios';
import type { WorldState } from './world-state';

const COLUMNS = ['scenario', 'trials', 'passed', 'lost', 'duplicate', 'wrongly Failed', 'stuck runs', 'state diffs', 'died alone', 'ready after (max s)', 'what was done'] as const;

/** One row per scenario (the clean run first), then every failed trial's findings. */
export function chaosTable(results: TrialResult[]): string {
  const byScenario = new Map<string, TrialResult[]>();
  for (const r of results) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  const rows: string[][] = [];
  for (const [scenario, trials] of byScenario) {
    const sum = (f: (r: TrialResult) => number) => String(trials.reduce((s, r) => s + f(r), 0));
    const ready = trials.map((r) => r.readyAfterSeconds).filter((s): s is number => s !== null);
    rows.push([
      scenario,
      String(trials.length),
      scenario === 'clean' ? (trials.every((r) => !r.error) ? 'reference' : 'FAILED') : String(trials.filter(trialPassed).length),
      sum((r) => r.lostOrders.length),
      sum((r) => r.duplicateOrders.length),
      sum((r) => r.wronglyFailed.length),
      sum((r) => r.stuckRuns.length),
      sum((r) => r.diffCount),
      sum((r) => r.diedByThemselves.length),
      ready.length ? Math.max(...ready).toFixed(1) : '-',
      summarize(trials),
    ]);
  }
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const failed = results.filter((r) => r.scenario !== 'clean' && !trialPassed(r));
  if (failed.length > 0) {
    out.push('', 'failed trials:');
    for (const r of failed) {
      out.push(`  ${r.scenario} #${r.trial} (${r.events.join('; ') || 'no events'}):`);
      if (r.error) out.push(`    error: ${r.error}`);
      for (const [label, list] of [
        ['lost', r.lostOrders],
        ['duplicate', r.duplicateOrders],
        ['wrongly Failed', r.wronglyFailed],
        ['stuck', r.stuckRuns],
        ['died by itself', r.diedByThemselves],
      ] as const)
        if (list.length) out.push(`    ${label}: ${list.join(', ')}`);
      for (const l of r.diffLines) out.push(`    ${l}`);
      if (r.notReadySeen === false) out.push('    readiness never went 503 while the store was down');
      if (r.readyAfterSeconds !== null && r.readyAfterSeconds > 60) out.push(`    ready again only after ${r.readyAfterSeconds.toFixed(1)} s`);
      if (r.budget) for (const problem of budgetProblems(r.budget)) out.push(`    ${problem}`);
    }
  }
  return out.join('\n');
}

function summarize(trials: TrialResult[]): string {
  const budgeted = trials.filter((r) => r.budget);
  if (budgeted.length > 0) {
    const brands = budgeted.flatMap((r) => r.budget!.brands);
    const sum = (f: (b: BrandBudgetFigures) => number) => brands.reduce((s, b) => s + f(b), 0);
    return (
      `two brands on one mesh, every sync of each on its JOOR account's credits: ${sum((b) => b.http429)} answers 429 in ${sum((b) => b.joorCalls)} JOOR calls, ` +
      `${sum((b) => b.saturatedWindows)} of ${sum((b) => b.windows)} credit windows at least 90% used; stock p95 at most ${Math.max(...brands.map((b) => b.stock.p95)).toFixed(1)} s ` +
      `(target ${TRIAL_INVENTORY_POLL_SECONDS + STOCK_SLACK_SECONDS}), orders at most ${Math.max(...brands.map((b) => b.orders.max)).toFixed(1)} s (target ${ORDER_TARGET_SECONDS})`
    );
  }
  const faulted = trials.filter((r) => r.faultsInjected);
  if (faulted.length > 0) {
    const amc = faulted.reduce((s, r) => s + r.faultsInjected!.amc, 0);
    const joor = faulted.reduce((s, r) => s + r.faultsInjected!.joor, 0);
    return `AMC and JOOR calls faulted for the whole workload: ${amc} AMC and ${joor} JOOR calls faulted in all`;
  }
  const struck = trials.flatMap((r) => r.inFlight);
  const midSync = struck.filter((s) => s !== 'no run').length;
  const events = trials.flatMap((r) => r.events.map((e) => e.replace(/^\+[\d.]+ s\s+/, '')));
  if (events.length === 0) return '-';
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = e.replace(/, restarted after [\d.]+ s/, '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const list = [...counts].map(([e, n]) => (n > 1 ? `${e} x${n}` : e)).join('; ');
  return struck.length ? `${list} (${midSync} of ${struck.length} while a sync ran)` : list;
}

/** What the clean run left, so a reader sees the comparison is about something. */
export function describeState(state: WorldState): string {
  const n = (section: object) => Object.keys(section).length;
  const statuses = new Map<string, number>();
  for (const order of Object.values(state.joor.orders)) {
    const status = String(order.export_status ?? 'not exported');
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const amcOrders = Object.values(state.amc.orders).reduce((sum, list) => sum + list.length, 0);
  return (
    `JOOR: ${n(state.joor.products)} products, ${n(state.joor.skus)} SKUs, ${n(state.joor.prices)} prices, ${n(state.joor.collections)} linesheets, ` +
    `${n(state.joor.assets)} assets, ${n(state.joor.inventory)} stock rows, ${n(state.joor.customers)} customers, ${n(state.joor.orders)} orders ` +
    `(${[...statuses].map(([s, c]) => `${c} ${s}`).join(', ')}); AMC: ${amcOrders} orders from JOOR`
  );
}

/** The budget trials brand by brand: the JOOR account's use, the 429s, the latencies against their targets. */
export function budgetTable(results: TrialResult[]): string | null {
  const rows = results.flatMap((r) => (r.budget ? r.budget.brands.map((b) => ({ trial: r.trial, b, limit: r.budget!.creditLimit })) : []));
  if (rows.length === 0) return null;
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  const header = [
    'trial',
    'brand',
    'JOOR account',
    'calls',
    'credits',
    '429s',
    'windows >= 90% of cap',
    'most in a window (cap; JOOR limit)',
    'stock changes shown',
    'stock s p50/p95/max',
    'orders in AMC',
    'order s p50/max',
  ];
  const lines = rows.map(({ trial, b, limit }) => [
    String(trial),
    b.brand,
    b.account,
    String(b.joorCalls),
    String(b.credits),
    String(b.http429),
    `${b.saturatedWindows}/${b.windows}`,
    `${b.mostCreditsInAWindow} (${b.cap}; ${limit.credits} per ${limit.seconds} s)`,
    `${b.stock.shown}/${b.stock.made}${b.stock.superseded ? ` (+${b.stock.superseded} overtaken)` : ''}`,
    `${fmt(b.stock.p50)}/${fmt(b.stock.p95)}/${fmt(b.stock.max)}`,
    `${b.orders.shown}/${b.orders.made}${b.ordersNotOnce.length ? ` (not once: ${b.ordersNotOnce.join(', ')})` : ''}`,
    `${fmt(b.orders.p50)}/${fmt(b.orders.max)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}
