import { Registry } from 'prom-client';
import { parsePrometheusText, samplesOf } from '@app/testing';
import { endpointClass, sharedInFlight, statusClass, SYNC_METRIC_NAMES, SyncMetrics } from './sync-metrics';

const scrape = async (registry: Registry) => parsePrometheusText(await registry.metrics());

describe('SyncMetrics', () => {
  let registry: Registry;
  let metrics: SyncMetrics;

  beforeEach(() => {
    registry = new Registry();
    metrics = new SyncMetrics(registry, 200);
  });

  it('times AMC and JOOR calls by endpoint class, outcome and status class, and counts JOOR 429s per account', async () => {
    metrics.apiCall('joor', '/products/bulk_create', 'ok', 200, 0.2);
    metrics.apiCall('joor', '/products/bulk_update', 'ok', 200, 0.4);
    metrics.apiCall('joor', '/orders', 'retry', 429, 0.01);
    metrics.apiCall('amc', 'inventory/42', 'failed', null, 5);
    metrics.joorRateLimited('1234');
    const samples = await scrape(registry);
    const counts = samplesOf(samples, `${SYNC_METRIC_NAMES.apiCalls}_count`).map((s) => [s.labels, s.value]);
    expect(counts).toEqual([
      [{ api: 'joor', endpoint: 'products', outcome: 'ok', status_class: '2xx' }, 2],
      [{ api: 'joor', endpoint: 'orders', outcome: 'retry', status_class: '4xx' }, 1],
      [{ api: 'amc', endpoint: 'inventory', outcome: 'failed', status_class: 'none' }, 1],
    ]);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.joor429).map((s) => [s.labels, s.value])).toEqual([[{ joor_account: '1234' }, 1]]);
  });

  it('classes endpoints by resource, not id, and statuses by hundred', () => {
    expect(['/products/bulk_create', 'products/42', '/v4/products', '/orders/9001/', 'customers?since=1', '/'].map(endpointClass)).toEqual([
      'products',
      'products',
      'products',
      'orders',
      'customers',
      'root',
    ]);
    expect([200, 404, 503, null].map(statusClass)).toEqual(['2xx', '4xx', '5xx', 'none']);
  });

  it('counts finished runs and JOOR credits per kind and connection', async () => {
    metrics.runFinished('orders', 'partial', 'c-1');
    metrics.runFinished('orders', 'partial', 'c-1');
    metrics.runFinished('orders', 'failed', 'c-2');
    metrics.creditsUsed('orders', 'c-1', 5);
    metrics.creditsUsed('orders', 'c-1', 7);
    metrics.creditsUsed('orders', 'c-2', 0);
    const samples = await scrape(registry);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.runs).map((s) => [s.labels, s.value])).toEqual([
      [{ kind: 'orders', status: 'partial', connection_id: 'c-1' }, 2],
      [{ kind: 'orders', status: 'failed', connection_id: 'c-2' }, 1],
    ]);
    // A flush that took no credits adds no series.
    expect(samplesOf(samples, SYNC_METRIC_NAMES.credits).map((s) => [s.labels, s.value])).toEqual([[{ kind: 'orders', connection_id: 'c-1' }, 12]]);
  });

  it('reads the gauges from the sources a service registered, at each scrape, and none without one', async () => {
    expect(samplesOf(await scrape(registry), SYNC_METRIC_NAMES.orderPollLag)).toEqual([]);
    let lag = 30;
    metrics.provide('orderPollLag', async () => [{ connectionId: 'c-1', value: lag }]);
    metrics.provide('budget', async () => [
      { connectionId: 'c-1', used: 120, cap: 300 },
      { connectionId: 'c-2', used: 300, cap: 300 },
    ]);
    let samples = await scrape(registry);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.orderPollLag).map((s) => [s.labels.connection_id, s.value])).toEqual([['c-1', 30]]);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.budgetUsed).map((s) => [s.labels.connection_id, s.value])).toEqual([
      ['c-1', 120],
      ['c-2', 300],
    ]);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.budgetCap).map((s) => [s.labels.connection_id, s.value])).toEqual([
      ['c-1', 300],
      ['c-2', 300],
    ]);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.inventoryCursorAge)).toEqual([]);
    lag = 90;
    samples = await scrape(registry);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.orderPollLag).map((s) => s.value)).toEqual([90]);
  });

  it('reads the budget once per scrape for both of its gauges', async () => {
    const source = jest.fn(async () => [{ connectionId: 'c-1', used: 1, cap: 300 }]);
    metrics.provide('budget', source);
    await scrape(registry);
    expect(source).toHaveBeenCalledTimes(1);
  });

  it('leaves a gauge out (no stale or false value) when its source fails or hangs', async () => {
    let fail = false;
    metrics.provide('inventoryCursorAge', () => (fail ? Promise.reject(new Error('db down')) : Promise.resolve([{ connectionId: 'c-1', value: 12 }])));
    metrics.provide('budget', () => new Promise(() => undefined));
    expect(samplesOf(await scrape(registry), SYNC_METRIC_NAMES.inventoryCursorAge).map((s) => s.value)).toEqual([12]);
    fail = true;
    const samples = await scrape(registry);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.inventoryCursorAge)).toEqual([]);
    expect(samplesOf(samples, SYNC_METRIC_NAMES.budgetUsed)).toEqual([]);
  });
});

describe('sharedInFlight', () => {
  it('shares one call among callers while it is in flight, and starts a new one after it settles', async () => {
    let calls = 0;
    let release!: () => void;
    const shared = sharedInFlight(() => {
      calls++;
      return new Promise<number>((resolve) => (release = () => resolve(calls)));
    });
    const [a, b] = [shared(), shared()];
    release();
    expect(await Promise.all([a, b])).toEqual([1, 1]);
    const c = shared();
    release();
    expect(await c).toBe(2);
  });
});
