import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { withTimeout } from '@app/util';

/** One connection's reading of a gauge collected at scrape time. */
export interface ConnectionReading {
  connectionId: string;
  value: number;
}

/** One connection's JOOR credit budget: credits used in the current window and the window's cap. */
export interface BudgetReading {
  connectionId: string;
  used: number;
  cap: number;
}

/**
 * What a service knows only when asked (Redis, PostgreSQL): registered by the layer that can read it
 * (sync-core for the budget, the order and inventory services for their lag), read on each scrape.
 */
export interface SyncMetricSources {
  budget: () => Promise<BudgetReading[]>;
  orderPollLag: () => Promise<ConnectionReading[]>;
  inventoryCursorAge: () => Promise<ConnectionReading[]>;
}

/** The metric names, in one place (the dashboard and the alerts name them; test/k8s.spec.ts checks). */
export const SYNC_METRIC_NAMES = {
  runs: 'amcjoor_runs_total',
  credits: 'amcjoor_joor_credits_total',
  budgetUsed: 'amcjoor_joor_budget_used_credits',
  budgetCap: 'amcjoor_joor_budget_cap_credits',
  orderPollLag: 'amcjoor_order_poll_lag_seconds',
  inventoryCursorAge: 'amcjoor_inventory_cursor_age_seconds',
  apiCalls: 'amcjoor_api_call_duration_seconds',
  joor429: 'amcjoor_joor_rate_limited_total',
} as const;

/** AMC and JOOR calls by the resource they touch, not their ids: `/products/bulk_create` and `products/42` are `products`. */
export function endpointClass(path: string): string {
  const segment = path
    .split('?')[0]
    .split('/')
    .find((part) => part !== '' && !/^\d+$/.test(part) && !/^v\d+$/.test(part));
  return segment ? segment.toLowerCase().slice(0, 40) : 'root';
}

/** 2xx, 4xx, 5xx, or `none` when the API did not answer. */
export function statusClass(status: number | null): string {
  return status === null ? 'none' : `${Math.floor(status / 100)}xx`;
}

/**
 * The sync mesh's own metrics, per connection (`connection_id`, a UUID: never a name or a secret;
 * connections are few, so the series are too). Counters are counted where things happen (the
 * SyncRunner); gauges are read at scrape time from the sources a service registered (none: no series).
 */
export class SyncMetrics {
  private readonly runs: Counter<'kind' | 'status' | 'connection_id'>;
  private readonly credits: Counter<'kind' | 'connection_id'>;
  private readonly apiCalls: Histogram<'api' | 'endpoint' | 'outcome' | 'status_class'>;
  private readonly joor429: Counter<'joor_account'>;
  private readonly sources: Partial<SyncMetricSources> = {};

  constructor(registry: Registry, timeoutMs: number) {
    const registers = [registry];
    this.runs = new Counter({
      name: SYNC_METRIC_NAMES.runs,
      help: 'Sync runs finished, by kind, final status (succeeded, partial, failed, cancelled) and connection',
      labelNames: ['kind', 'status', 'connection_id'],
      registers,
    });
    this.credits = new Counter({
      name: SYNC_METRIC_NAMES.credits,
      help: "JOOR credits taken from the budget by the runs' calls, by kind and connection",
      labelNames: ['kind', 'connection_id'],
      registers,
    });
    this.apiCalls = new Histogram({
      name: SYNC_METRIC_NAMES.apiCalls,
      help: 'AMC and JOOR calls (each attempt), by API, endpoint class, outcome (ok, retry, failed) and status class (2xx, 4xx, 5xx, none)',
      labelNames: ['api', 'endpoint', 'outcome', 'status_class'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.joor429 = new Counter({
      name: SYNC_METRIC_NAMES.joor429,
      help: 'Answers 429 (over the credit limit) from JOOR, by JOOR account: the budget keeps this at 0 unless another tool spends the same credits',
      labelNames: ['joor_account'],
      registers,
    });
    // Unreachable store (or no source in this service): no series rather than a false value.
    const read = async <T>(source: (() => Promise<T[]>) | undefined, what: string): Promise<T[]> => (source ? withTimeout(source(), timeoutMs, what).catch(() => []) : []);
    // Both budget gauges are collected in the same scrape: one read of the budget serves both.
    const budget = sharedInFlight(() => read(this.sources.budget, 'budget'));
    this.connectionGauge(registry, SYNC_METRIC_NAMES.budgetUsed, "JOOR credits used in the current budget window of the connection's JOOR account (shared by every process)", async () =>
      (await budget()).map((r) => ({ connectionId: r.connectionId, value: r.used })),
    );
    this.connectionGauge(registry, SYNC_METRIC_NAMES.budgetCap, "The cap of the budget window of the connection's JOOR account, in credits", async () =>
      (await budget()).map((r) => ({ connectionId: r.connectionId, value: r.cap })),
    );
    this.connectionGauge(
      registry,
      SYNC_METRIC_NAMES.orderPollLag,
      'Seconds since the last orders.poll run of an active connection finished succeeded or partial (since the connection was created when none has)',
      () => read(this.sources.orderPollLag, 'order poll lag'),
    );
    this.connectionGauge(
      registry,
      SYNC_METRIC_NAMES.inventoryCursorAge,
      'Seconds since the start of the last completed full or delta inventory run of an active connection: how old the newest AMC stock change JOOR may lack can be',
      () => read(this.sources.inventoryCursorAge, 'inventory cursor age'),
    );
  }

  private connectionGauge(registry: Registry, name: string, help: string, readings: () => Promise<ConnectionReading[]>): void {
    new Gauge({
      name,
      help,
      labelNames: ['connection_id'],
      registers: [registry],
      async collect() {
        const values = await readings();
        this.reset();
        for (const r of values) this.set({ connection_id: r.connectionId }, r.value);
      },
    });
  }

  /** Registers what a gauge reads at scrape time (once per service; a second one replaces the first). */
  provide<K extends keyof SyncMetricSources>(key: K, source: SyncMetricSources[K]): void {
    this.sources[key] = source;
  }

  runFinished(kind: string, status: string, connectionId: string): void {
    this.runs.inc({ kind, status, connection_id: connectionId });
  }

  apiCall(api: 'amc' | 'joor', path: string, outcome: string, status: number | null, seconds: number): void {
    this.apiCalls.observe({ api, endpoint: endpointClass(path), outcome, status_class: statusClass(status) }, seconds);
  }

  joorRateLimited(joorAccount: string): void {
    this.joor429.inc({ joor_account: joorAccount });
  }

  creditsUsed(kind: string, connectionId: string, credits: number): void {
    if (credits > 0) this.credits.inc({ kind, connection_id: connectionId }, credits);
  }
}

/** Calls made while one is in flight share its answer; the next call after it settles starts a new one. */
export function sharedInFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= fn().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
