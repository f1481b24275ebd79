/**
 * The mixed workload every trial runs, drawn from the seed so a clean run and a chaos run get the
 * same inputs: the connection's own schedules (a full catalog sync with its follow-ups, inventory
 * polls, customer syncs) plus stock changes made through AMC's API, new orders placed on JOOR and
 * on-demand order polls, at fixed offsets. Then the settling pass, the same in every trial.
 */
import { AmcClient } from '@app/amc-client';
import { generateBrand, Rng, type JoorOrder } from '@app/sandbox-seed';
import { AMC_TOKEN, http, sleep } from '../bench-kit';
import { seedBody, type ChaosWorld, type WorldOptions } from './chaos-world';

export interface StockChange {
  atMs: number;
  skuId: string;
  qty: number;
}
export interface NewOrder {
  atMs: number;
  order: JoorOrder;
}
export interface WorkloadPlan {
  durationMs: number;
  warehouseId: string;
  /** The JOOR warehouse the connection's stock goes to. */
  joorWarehouse: string;
  stockChanges: StockChange[];
  newOrders: NewOrder[];
  orderPollsAtMs: number[];
}

/** The brand a workload runs against: its two sandboxes and its connection, reached through the gateway. */
export interface WorkloadTarget {
  amcUrl: string;
  joorUrl: string;
  connectionId: string;
  api: ChaosWorld['api'];
}

/** When each step of the workload was done (ms since the epoch), for the latency figures. */
export interface WorkloadTimes {
  stockChanged: Array<{ skuId: string; qty: number; at: number }>;
  orderPlaced: Array<{ orderId: string; at: number }>;
}

/** Something the scenario does at a moment of the workload (kill a service, restart a store, ...). */
export interface ChaosEvent {
  atMs: number;
  label: string;
  /** Answers what it did, when that is only known once done (else the label is shown). */
  act: () => Promise<string | void>;
}

export function planWorkload(options: Pick<WorldOptions, 'styles' | 'seed'>, durationMs: number): WorkloadPlan {
  const brand = generateBrand(seedBody(options));
  const rng = Rng.stream(options.seed, 'chaos-workload');
  const at = () => Math.floor(rng.next() * durationMs * 0.8);
  // SKUs JOOR has: the brand's deliberately bad styles are refused by the catalog sync, so their stock never goes.
  const refused = new Set(brand.expectations.badStyles.map((b) => b.product_id));
  const skus = brand.amc.skus.filter((s) => s.joor_sync === '1' && s.active === '1' && !refused.has(s.product_id));
  const stockChanges = Array.from({ length: Math.min(12, skus.length) }, () => ({ atMs: at(), skuId: rng.pick(skus).sku_id, qty: rng.int(1, 400) }));
  const good = brand.joor.orders.filter((o) => o.seed_case === 'ok' && o.status === 'Approved');
  const newOrders = Array.from({ length: Math.min(4, good.length) }, (_, i) => {
    const base = good[i % good.length];
    return { atMs: at(), order: { ...base, order_id: String(6_000_001 + i), customer_purchase_order: `CHAOS-${i + 1}` } };
  });
  // Polls at random moments, and one "poll now" a second after each new order, as a brand asks for one.
  const orderPollsAtMs = [...Array.from({ length: Math.max(2, Math.floor(durationMs / 15_000)) }, () => at()), ...newOrders.map((o) => o.atMs + 1_000)];
  const sortByAt = <T extends { atMs: number }>(list: T[]) => list.sort((a, b) => a.atMs - b.atMs);
  return {
    durationMs,
    warehouseId: brand.amc.settings.amcWarehouseId ?? '',
    joorWarehouse: brand.amc.settings.joorWarehouseName ?? '',
    stockChanges: sortByAt(stockChanges),
    newOrders: sortByAt(newOrders),
    orderPollsAtMs: orderPollsAtMs.sort((a, b) => a - b),
  };
}

/**
 * Runs the plan and the scenario's events on one clock from the connection's creation; an event's
 * failure is rethrown at the end (the harness must not hide its own faults), the workload's own
 * calls are retried (AMC or the gateway may be the thing that is down).
 */
export async function runWorkload(
  target: WorkloadTarget,
  plan: WorkloadPlan,
  events: ChaosEvent[],
  log: (line: string) => void,
  times: WorkloadTimes = { stockChanged: [], orderPlaced: [] },
): Promise<WorkloadTimes> {
  const amc = new AmcClient({ baseUrl: target.amcUrl, token: AMC_TOKEN, requestsPerSecond: 50 });
  const t0 = Date.now();
  const steps: Array<{ atMs: number; label: string; run: () => Promise<unknown>; chaos: boolean }> = [
    ...plan.stockChanges.map((c) => ({
      atMs: c.atMs,
      label: `stock ${c.skuId} = ${c.qty}`,
      chaos: false,
      run: async () => {
        await amc.updateInventory(c.skuId, { warehouse_id: plan.warehouseId, qty_avail_sell: c.qty });
        times.stockChanged.push({ skuId: c.skuId, qty: c.qty, at: Date.now() });
      },
    })),
    ...plan.newOrders.map((o) => ({
      atMs: o.atMs,
      label: `JOOR order ${o.order.order_id}`,
      chaos: false,
      run: async () => {
        await http('POST', `${target.joorUrl}/_sandbox/orders`, { ...o.order, date_modified: new Date().toISOString() });
        times.orderPlaced.push({ orderId: o.order.order_id, at: Date.now() });
      },
    })),
    ...plan.orderPollsAtMs.map((atMs) => ({ atMs, label: 'order poll', chaos: false, run: () => target.api('POST', `/connections/${target.connectionId}/sync/orders`, {}) })),
    ...events.map((e) => ({ atMs: e.atMs, label: e.label, chaos: true, run: e.act })),
  ].sort((a, b) => a.atMs - b.atMs);
  const running: Promise<void>[] = [];
  const failures: string[] = [];
  for (const step of steps) {
    const wait = t0 + step.atMs - Date.now();
    if (wait > 0) await sleep(wait);
    const attempt = async () => {
      for (let tries = 1; ; tries++) {
        try {
          const done = await step.run();
          if (step.chaos) log(`    +${((Date.now() - t0) / 1000).toFixed(1)} s  ${typeof done === 'string' ? done : step.label}`);
          return;
        } catch (err) {
          if (step.chaos || tries >= 30) return void failures.push(`${step.label}: ${(err as Error).message}`);
          await sleep(2_000);
        }
      }
    };
    // Chaos events run in turn on the clock; the workload's calls in the background, so a call
    // retried through an outage does not hold up the events after it.
    if (step.chaos) await attempt();
    else running.push(attempt());
  }
  await Promise.all(running);
  const left = t0 + plan.durationMs - Date.now();
  if (left > 0) await sleep(left);
  if (failures.length > 0) throw new Error(`the workload could not do: ${failures.join('; ')}`);
  return times;
}

/** The kinds the settling pass runs, in this order, once nothing else runs. */
const SETTLING_RUNS: Array<{ kind: string; body: Record<string, unknown> }> = [
  { kind: 'styles', body: { full: true } },
  { kind: 'images', body: { full: true } },
  { kind: 'inventory', body: { full: true } },
  { kind: 'customers', body: { full: true } },
  { kind: 'orders', body: {} },
];

/**
 * Ends a trial the same way every time: the schedules slowed so nothing new starts by itself,
 * every run in flight left to end (those that never do are the "stuck" ones), then one run of each
 * kind without faults, in order, each waited for.
 */
export async function settle(
  world: ChaosWorld,
  timeoutMs: number,
  log: (line: string) => void,
  connectionIds: string[] = [world.connectionId],
): Promise<{ stuck: Array<{ id: string; kind: string; status: string }> }> {
  for (const connectionId of connectionIds) {
    const patched = await retry(() =>
      world.api('PATCH', `/connections/${connectionId}`, { settings: { catalogSyncMinutes: 1440, inventoryPollSeconds: 86_400, customerSyncMinutes: 1440, orderPollMinutes: 1440 } }),
    );
    if (patched.status !== 200) throw new Error(`PATCH /connections answered ${patched.status}: ${JSON.stringify(patched.json)}`);
  }
  const stuck = await waitIdle(world, timeoutMs);
  if (stuck.length > 0) {
    log(`    runs not ended ${timeoutMs / 1000} s after the workload: ${stuck.map((r) => `${r.kind} ${r.status} ${r.id}`).join(', ')}`);
    return { stuck };
  }
  for (const { kind, body } of SETTLING_RUNS) {
    for (const connectionId of connectionIds) {
      const started = await retry(async () => {
        const res = await world.api('POST', `/connections/${connectionId}/sync/${kind}`, body);
        if (res.status === 409) throw new Error(`${kind}: a run is in flight`);
        return res;
      });
      if (started.status !== 202) throw new Error(`POST sync/${kind} answered ${started.status}: ${JSON.stringify(started.json)}`);
    }
    const leftOver = await waitIdle(world, timeoutMs);
    if (leftOver.length > 0) return { stuck: leftOver };
  }
  return { stuck: [] };
}

/** Waits until the connection has no queued or running run; answers those still unfinished at the deadline. */
async function waitIdle(world: ChaosWorld, timeoutMs: number): Promise<Array<{ id: string; kind: string; status: string }>> {
  const until = Date.now() + timeoutMs;
  let quietSince: number | null = null;
  for (;;) {
    const open = await world.unfinishedRuns();
    if (open.length === 0) {
      quietSince ??= Date.now();
      // Follow-ups are enqueued a moment after their cause ends: idle means idle for a while.
      if (Date.now() - quietSince >= 3_000) return [];
    } else quietSince = null;
    if (Date.now() > until) return open;
    await sleep(500);
  }
}

async function retry<T>(fn: () => Promise<T>, tries = 60): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await sleep(1_000);
    }
  }
}
