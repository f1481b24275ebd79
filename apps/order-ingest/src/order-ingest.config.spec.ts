import { loadOrderIngestConfig } from './order-ingest.config';

describe('loadOrderIngestConfig', () => {
  it('has safe defaults and no halt point unless asked', () => {
    expect(loadOrderIngestConfig({})).toEqual({ feedPageSize: 100, maxOrdersPerPoll: 10_000, lockWaitMs: 120_000, transientRounds: 3, transientDelayMs: 2_000, haltAt: null });
  });

  it('takes a halt point outside production and refuses it in production', () => {
    expect(loadOrderIngestConfig({ ORDER_INGEST_HALT_AT: 'after-amc-create', NODE_ENV: 'test' }).haltAt).toBe('after-amc-create');
    expect(() => loadOrderIngestConfig({ ORDER_INGEST_HALT_AT: 'after-amc-create', NODE_ENV: 'production' })).toThrow(/refused when NODE_ENV=production/);
    expect(() => loadOrderIngestConfig({ ORDER_INGEST_HALT_AT: 'somewhere' })).toThrow(/ORDER_INGEST_HALT_AT must be one of/);
  });

  it('names a bad number', () => {
    expect(() => loadOrderIngestConfig({ ORDER_INGEST_FEED_PAGE_SIZE: '900' })).toThrow(/ORDER_INGEST_FEED_PAGE_SIZE must be between 1 and 500/);
  });
});
