import { JoorHttpError } from '../shared/joor-envelope';
import { parseOrderFeedQuery } from './order-feed';

describe('parseOrderFeedQuery', () => {
  it('applies JOOR defaults: order_type 2, export_status 1, sync=1, count 50', () => {
    const q = parseOrderFeedQuery({});
    expect(q.statuses).toEqual(['Approved', 'Shipped']);
    expect(q.exportFilter).toBeNull();
    expect(q.sync).toBe(true);
    expect(q.count).toBe(50);
    expect(q.startFrom).toBe(0);
  });

  it('takes a bare date_end as the whole day', () => {
    const q = parseOrderFeedQuery({ date_start: '2026-10-01', date_end: '2026-10-01' });
    expect(q.dateStart?.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(q.dateEnd?.toISOString()).toBe('2026-10-01T23:59:59.999Z');
  });

  it.each([{ order_type: '3' }, { export_status: '8' }, { sync: '2' }, { count: '0' }, { count: '501' }, { date_start: 'yesterday' }])('refuses %j', (query) => {
    expect(() => parseOrderFeedQuery(query)).toThrow(JoorHttpError);
  });
});
