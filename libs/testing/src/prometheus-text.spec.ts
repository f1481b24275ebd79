import { parsePrometheusText, samplesOf } from './prometheus-text';

describe('parsePrometheusText', () => {
  const text = [
    '# HELP amcjoor_runs_total Sync runs finished',
    '# TYPE amcjoor_runs_total counter',
    'amcjoor_runs_total{kind="orders",status="partial",connection_id="c-1",service="order-ingest"} 2',
    'amcjoor_runs_total{kind="orders",status="failed",connection_id="c-2",service="order-ingest"} 1',
    '',
    'process_cpu_seconds_total 0.25 1700000000000',
    'odd{reason="say \\"hi\\"\\\\n, ok"} NaN',
  ].join('\n');

  it('reads names, labels and values, skipping comments and blank lines', () => {
    const samples = parsePrometheusText(text);
    expect(samples.map((s) => s.name)).toEqual(['amcjoor_runs_total', 'amcjoor_runs_total', 'process_cpu_seconds_total', 'odd']);
    expect(samples[0]).toEqual({ name: 'amcjoor_runs_total', labels: { kind: 'orders', status: 'partial', connection_id: 'c-1', service: 'order-ingest' }, value: 2 });
    expect(samples[2]).toEqual({ name: 'process_cpu_seconds_total', labels: {}, value: 0.25 });
    expect(samples[3].labels.reason).toBe('say "hi"\\n, ok');
    expect(samples[3].value).toBeNaN();
  });

  it('picks the samples of a metric by a subset of their labels', () => {
    const samples = parsePrometheusText(text);
    expect(samplesOf(samples, 'amcjoor_runs_total', { connection_id: 'c-2' }).map((s) => s.labels.status)).toEqual(['failed']);
    expect(samplesOf(samples, 'amcjoor_runs_total')).toHaveLength(2);
    expect(samplesOf(samples, 'amcjoor_runs_total', { connection_id: 'c-3' })).toEqual([]);
  });

  it('refuses a line that is not a sample', () => {
    expect(() => parsePrometheusText('amcjoor_runs_total{kind="orders"')).toThrow('not a Prometheus sample');
  });
});
