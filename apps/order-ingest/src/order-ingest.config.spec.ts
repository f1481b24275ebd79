import { loadOrderIngestConfig } from './order-ingest.config';

describe('loadOrderIngestConfig', () => {
  it('has safe defaults', () => {
    expect(loadOrderIngestConfig({})).toEqual({ feedPageSize: 100, maxOrdersPerPoll: 10_000, busyRetryMs: 2_000, transientRounds: 3, transientDelayMs: 2_000 });
  });

  it('names a bad number', () => {
    expect(() => loadOrderIngestConfig({ ORDER_INGEST_FEED_PAGE_SIZE: '900' })).toThrow(/ORDER_INGEST_FEED_PAGE_SIZE must be between 1 and 500/);
  });
});
