/**
 * The budget scenario: two brands on one mesh, every sync of each busy at once (the full catalog
 * with its media and inventory follow-ups, inventory every 15 s, customers every minute, stock
 * changes, new orders each followed by a "poll now"), each brand's services competing for its
 * JOOR account's credits under JOOR's limit. A JOOR account belongs to one connection (the
 * gateway refuses a second), so the second brand has sandboxes and a JOOR account of its own; it
 * shares the gateway, the workers, Redis and PostgreSQL. Measured from the sandboxes themselves:
 * JOOR's 429s, how full each credit window ran, how long a stock change took to show on JOOR and an
 * order to reach AMC.
 */
import { resolveBudgetOptions } from '@app/joor-budget';
import { skuExternalId } from '@app/mapping';
import { freePort } from '@app/util';
import { amcSandboxEnv, CallLogReader, createBenchDatabase, http, joorSandboxEnv, percentile, Proc, sleep, type SandboxCall } from '../bench-kit';
import { seedBody, TRIAL_INVENTORY_POLL_SECONDS, type ChaosWorld } from './chaos-world';

export { TRIAL_INVENTORY_POLL_SECONDS };
import { planWorkload, runWorkload, type WorkloadPlan, type WorkloadTarget, type WorkloadTimes } from './workload';

/** A stock change must show on JOOR within the connection's poll interval plus this (the inventory benchmark's target). */
export const STOCK_SLACK_SECONDS = 30;
/** An order polled on demand must be in AMC within this. */
export const ORDER_TARGET_SECONDS = 30;
/** A credit window counts as full at this share of what the budget hands out (JOOR's limit less its safety credits). */
const SATURATED_SHARE = 0.9;

export interface LatencyFigures {
  made: number;
  shown: number;
  /** Changed again before the first change showed: no latency of its own. */
  superseded: number;
  p50: number;
  p95: number;
  max: number;
}

export interface BrandBudgetFigures {
  brand: string;
  account: string;
  joorCalls: number;
  credits: number;
  http429: number;
  /** JOOR's windows that ran at least 90% full (of the budget's cap), of those the brand used. */
  saturatedWindows: number;
  /** What the budget hands out per window: JOOR's limit less the safety credits. */
  cap: number;
  windows: number;
  mostCreditsInAWindow: number;
  stock: LatencyFigures;
  orders: LatencyFigures;
  /** New orders in the brand's AMC other than exactly once (after the settling poll). */
  ordersNotOnce: string[];
  /** Calls that fell out of the sandbox's call log before they were read (0: every call was seen). */
  missedCalls: number;
  /** Stock changes never shown, with what JOOR shows instead. */
  unshown: string[];
}

export interface BudgetFigures {
  brands: BrandBudgetFigures[];
  creditLimit: { credits: number; seconds: number };
}

/** Whether the figures keep every target: no 429, every change shown and every order in AMC once, both within target. */
export function budgetProblems(figures: BudgetFigures): string[] {
  const problems: string[] = [];
  const stockTarget = TRIAL_INVENTORY_POLL_SECONDS + STOCK_SLACK_SECONDS;
  for (const b of figures.brands) {
    if (b.http429 > 0) problems.push(`${b.brand}: ${b.http429} answers 429 from JOOR`);
    if (b.missedCalls > 0) problems.push(`${b.brand}: ${b.missedCalls} JOOR calls not seen (the call log overflowed), so the 429 count is not complete`);
    const unshown = b.stock.made - b.stock.shown - b.stock.superseded;
    if (unshown > 0) problems.push(`${b.brand}: ${unshown} stock change(s) never shown on JOOR${b.unshown.length ? ` (${b.unshown.join('; ')})` : ''}`);
    if (b.stock.p95 > stockTarget) problems.push(`${b.brand}: stock p95 ${b.stock.p95.toFixed(1)} s > ${stockTarget} s`);
    if (b.orders.shown < b.orders.made) problems.push(`${b.brand}: ${b.orders.made - b.orders.shown} order(s) not in AMC within the trial`);
    if (b.orders.max > ORDER_TARGET_SECONDS) problems.push(`${b.brand}: an order took ${b.orders.max.toFixed(1)} s to reach AMC > ${ORDER_TARGET_SECONDS} s`);
    if (b.ordersNotOnce.length > 0) problems.push(`${b.brand}: orders in AMC other than once: ${b.ordersNotOnce.join(', ')}`);
  }
  return problems;
}

/** The second brand's own sandboxes (on the shared stores, a database of their own), opened for the budget scenario only. */
export class SecondBrand {
  connectionId = '';
  accountId = '';

  private constructor(
    readonly seed: number,
    readonly amc: Proc,
    readonly joor: Proc,
    private readonly dropDb: () => Promise<void>,
  ) {}

  static async open(world: ChaosWorld): Promise<SecondBrand> {
    const shared = await createBenchDatabase('chaos_second');
    const amc = new Proc('amc-sandbox', amcSandboxEnv(shared.dbUrl, shared.redisUrl), await freePort());
    const joor = new Proc('joor-sandbox', joorSandboxEnv(shared.dbUrl, shared.redisUrl, world.limit), await freePort());
    const brand = new SecondBrand(world.options.seed + 1, amc, joor, shared.drop);
    try {
      await Promise.all([amc.ready(), joor.ready()]);
    } catch (err) {
      await brand.close();
      throw err;
    }
    return brand;
  }

  /** Seeded afresh and connected through the trial's gateway. */
  async start(world: ChaosWorld): Promise<WorkloadTarget> {
    const body = seedBody({ styles: world.options.styles, seed: this.seed });
    const [, joorSeed] = await Promise.all([http('POST', `${this.amc.url}/_sandbox/seed`, body), http('POST', `${this.joor.url}/_sandbox/seed`, body)]);
    this.accountId = String(joorSeed.accountId);
    await http('DELETE', `${this.joor.url}/_sandbox/credits`);
    this.connectionId = await world.createBrandConnection('Second brand', this.seed, this.amc.url, this.joor.url);
    return this.target(world);
  }

  target(world: ChaosWorld): WorkloadTarget {
    return { amcUrl: this.amc.url, joorUrl: this.joor.url, connectionId: this.connectionId, api: (method, path, body) => world.api(method, path, body) };
  }

  async close(): Promise<void> {
    await Promise.all([this.amc.stop(), this.joor.stop()]);
    await this.dropDb().catch(() => undefined);
  }
}

/** One brand watched during the trial: its JOOR calls and credit windows as JOOR's sandbox counts them, its stock and orders as they arrive. */
export class BrandWatch {
  private calls: CallLogReader;
  private readonly seen: SandboxCall[] = [];
  /** JOOR's windows: start (ISO) -> most credits seen used. */
  private readonly windows = new Map<string, number>();
  private readonly stockShown = new Map<string, number>();
  private readonly orderShown = new Map<string, number>();
  times: WorkloadTimes = { stockChanged: [], orderPlaced: [] };

  constructor(
    readonly brand: string,
    public target: WorkloadTarget,
    private readonly warehouse: string,
    private readonly cap: number,
    calls?: CallLogReader,
  ) {
    this.calls = calls ?? new CallLogReader(target.joorUrl);
  }

  /** Counts this JOOR sandbox's calls from now on (before the brand's connection exists). */
  async markAt(joorUrl: string): Promise<void> {
    this.calls = new CallLogReader(joorUrl);
    await this.calls.mark();
  }

  /** One look (about every second while the workload runs). */
  async tick(): Promise<void> {
    this.seen.push(...(await this.calls.read()));
    const window = await http('GET', `${this.target.joorUrl}/_sandbox/state/credits`).catch(() => null);
    if (window?.windowStart) this.windows.set(window.windowStart, Math.max(this.windows.get(window.windowStart) ?? 0, window.used));
    const now = Date.now();
    const pendingStock = this.times.stockChanged.filter((c) => !this.stockShown.has(changeKey(c)));
    if (pendingStock.length > 0) {
      const stock = await this.joorStock();
      for (const change of pendingStock) if (stock.get(skuExternalId(change.skuId)) === change.qty) this.stockShown.set(changeKey(change), now);
    }
    if (this.times.orderPlaced.some((o) => !this.orderShown.has(o.orderId))) {
      const inAmc = await this.amcOrderCounts();
      for (const o of this.times.orderPlaced) if (!this.orderShown.has(o.orderId) && (inAmc.get(o.orderId) ?? 0) > 0) this.orderShown.set(o.orderId, now);
    }
  }

  /** Whether every change has shown (or been overtaken) and every order arrived. */
  get caughtUp(): boolean {
    const superseded = this.superseded();
    return this.times.stockChanged.every((c) => this.stockShown.has(changeKey(c)) || superseded.has(c)) && this.times.orderPlaced.every((o) => this.orderShown.has(o.orderId));
  }

  /** The figures, once the trial has settled (the order counts are read again then). */
  async figures(account: string): Promise<BrandBudgetFigures> {
    this.seen.push(...(await this.calls.read()));
    const orderLatencies = this.times.orderPlaced.filter((o) => this.orderShown.has(o.orderId)).map((o) => (this.orderShown.get(o.orderId)! - o.at) / 1000);
    const counts = await this.amcOrderCounts();
    const used = [...this.windows.values()];
    const unshown = await this.unshown();
    return {
      brand: this.brand,
      account,
      joorCalls: this.seen.length,
      credits: this.seen.reduce((sum, c) => sum + c.credits, 0),
      http429: this.seen.filter((c) => c.status === 429).length,
      saturatedWindows: used.filter((u) => u >= SATURATED_SHARE * this.cap).length,
      cap: this.cap,
      windows: used.length,
      mostCreditsInAWindow: used.length ? Math.max(...used) : 0,
      stock: stockLatency(this.times.stockChanged, this.stockShown),
      orders: latency(this.times.orderPlaced.length, orderLatencies, 0),
      ordersNotOnce: this.times.orderPlaced.filter((o) => counts.get(o.orderId) !== 1).map((o) => `${o.orderId} x${counts.get(o.orderId) ?? 0}`),
      missedCalls: this.calls.missed,
      unshown: unshown.map((u) => u.text),
    };
  }

  /** The changes never shown and not overtaken, each with what JOOR has for its SKU. */
  private async unshown(): Promise<Array<{ text: string }>> {
    const skipped = this.superseded();
    const left = this.times.stockChanged.filter((c) => !this.stockShown.has(changeKey(c)) && !skipped.has(c));
    if (left.length === 0) return [];
    const stock = await this.joorStock();
    const skus = new Set(((await http('GET', `${this.target.joorUrl}/_sandbox/state/skus`)) as Array<{ external_id?: string }>).map((s) => s.external_id));
    return left.map((c) => {
      const id = skuExternalId(c.skuId);
      const joor = stock.has(id) ? `JOOR shows ${stock.get(id)}` : skus.has(id) ? 'no stock row on JOOR' : 'SKU not on JOOR';
      return { text: `AMC SKU ${c.skuId} = ${c.qty}: ${joor}` };
    });
  }

  private superseded(): Set<StockChange> {
    return overtaken(this.times.stockChanged, this.stockShown);
  }

  /** JOOR's immediate stock in the brand's warehouse: SKU external id -> quantity. */
  private async joorStock(): Promise<Map<string, number>> {
    const [rows, skus] = await Promise.all([
      http('GET', `${this.target.joorUrl}/_sandbox/state/inventory?warehouse=${encodeURIComponent(this.warehouse)}`) as Promise<Array<{ sku_id: unknown; inventory_date: string; quantity: number }>>,
      http('GET', `${this.target.joorUrl}/_sandbox/state/skus`) as Promise<Array<{ id: unknown; external_id?: string }>>,
    ]);
    const externalIds = new Map(skus.map((s) => [String(s.id), s.external_id ?? '']));
    return new Map(rows.filter((r) => r.inventory_date === 'IMMEDIATE').map((r) => [externalIds.get(String(r.sku_id)) ?? '', r.quantity]));
  }

  /** AMC's orders by the JOOR order id they carry. */
  private async amcOrderCounts(): Promise<Map<string, number>> {
    const orders = (await http('GET', `${this.target.amcUrl}/_sandbox/state/orders`)) as Array<{ joor_id?: unknown }>;
    const out = new Map<string, number>();
    for (const o of orders) if (o.joor_id) out.set(String(o.joor_id), (out.get(String(o.joor_id)) ?? 0) + 1);
    return out;
  }
}

type StockChange = WorkloadTimes['stockChanged'][number];

/** A change's key in the shown-at map. */
export function changeKey(change: { skuId: string; at: number }): string {
  return `${change.skuId}@${change.at}`;
}

/** Changes overtaken by a later change of the same SKU before they showed (the later value is what JOOR should show). */
export function overtaken(changes: StockChange[], shownAt: Map<string, number>): Set<StockChange> {
  const out = new Set<StockChange>();
  for (const change of changes) {
    const shown = shownAt.get(changeKey(change));
    const later = changes.find((c) => c.skuId === change.skuId && c.at > change.at);
    if (later && (shown === undefined || shown > later.at)) out.add(change);
  }
  return out;
}

/** Seconds from each change to JOOR showing it, overtaken changes left out (and counted). */
export function stockLatency(changes: StockChange[], shownAt: Map<string, number>): LatencyFigures {
  const skipped = overtaken(changes, shownAt);
  const seconds = changes.filter((c) => shownAt.has(changeKey(c)) && !skipped.has(c)).map((c) => (shownAt.get(changeKey(c))! - c.at) / 1000);
  return latency(changes.length, seconds, skipped.size);
}

function latency(made: number, seconds: number[], superseded: number): LatencyFigures {
  return { made, shown: seconds.length, superseded, p50: percentile(seconds, 50), p95: percentile(seconds, 95), max: seconds.length ? Math.max(...seconds) : NaN };
}

/** Watches the brands every second until `done` resolves and they have caught up (at most `graceMs` more). */
export async function watchBrands(watches: BrandWatch[], done: Promise<unknown>, graceMs: number): Promise<void> {
  let finished = false;
  const settled = done.finally(() => (finished = true));
  let finishedAt: number | null = null;
  for (;;) {
    await Promise.all(watches.map((w) => w.tick().catch(() => undefined)));
    if (finished) {
      finishedAt ??= Date.now();
      if (watches.every((w) => w.caughtUp) || Date.now() - finishedAt > graceMs) break;
    }
    await sleep(1_000);
  }
  await settled;
}

/** A budget trial under way: the second brand connected, both watched; `during` runs its workload beside the first brand's. */
export class BudgetRun {
  private constructor(
    private readonly world: ChaosWorld,
    readonly second: SecondBrand,
    readonly watches: [BrandWatch, BrandWatch],
    private readonly secondPlan: WorkloadPlan,
  ) {}

  /** Call before the trial starts (the first brand's JOOR calls are counted from its connection's creation). */
  static async prepare(world: ChaosWorld): Promise<{ markFirst: () => Promise<void>; start: (plan: WorkloadPlan) => Promise<BudgetRun> }> {
    const firstCalls = new CallLogReader(world.joor.url);
    return {
      markFirst: () => firstCalls.mark(),
      start: async (plan) => {
        const second = await SecondBrand.open(world);
        try {
          const secondPlan = planWorkload({ styles: world.options.styles, seed: second.seed }, plan.durationMs);
          // The services' budget is built the same way from the same limit (JOOR_CREDITS_PER_WINDOW, JOOR_CREDIT_WINDOW_SECONDS).
          const { cap } = resolveBudgetOptions({ creditsPerWindow: world.limit.credits, windowMs: world.limit.seconds * 1000 });
          const first = new BrandWatch('first brand', world.target, plan.joorWarehouse, cap, firstCalls);
          const secondWatch = new BrandWatch('second brand', second.target(world), secondPlan.joorWarehouse, cap);
          await secondWatch.markAt(second.joor.url);
          secondWatch.target = await second.start(world);
          return new BudgetRun(world, second, [first, secondWatch], secondPlan);
        } catch (err) {
          await second.close();
          throw err;
        }
      },
    };
  }

  /** The second brand's workload beside the first's, both watched until they have caught up (at most 90 s after). */
  async during(firstWorkload: Promise<unknown>, log: (line: string) => void): Promise<void> {
    const secondWorkload = runWorkload(this.watches[1].target, this.secondPlan, [], (line) => log(`  [second brand] ${line.trim()}`), this.watches[1].times);
    const both = Promise.all([firstWorkload, secondWorkload]);
    await watchBrands(this.watches, both, 90_000);
  }

  async figures(): Promise<BudgetFigures> {
    const accounts = [this.world.accountId, this.second.accountId];
    return { brands: await Promise.all(this.watches.map((w, i) => w.figures(accounts[i]))), creditLimit: this.world.limit };
  }
}
