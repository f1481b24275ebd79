import { PerTokenRateLimiter, authProblem } from './amc-auth';
import { paginationMeta } from './amc-envelope';

describe('paginationMeta', () => {
  it('answers page_number accounts with AMC page math', () => {
    expect(paginationMeta('page_number', { pageSize: 10, pageNumber: 3, returned: 5, total: 25, lastId: '9' })).toEqual({ total_pages: 3, current_page: 3, number_records_returned: 5 });
    expect(paginationMeta('page_number', { pageSize: 10, pageNumber: 1, returned: 0, total: 0, lastId: null })).toEqual({ total_pages: 1, current_page: 1, number_records_returned: 0 });
  });

  it('answers last_id accounts with the last id and the total', () => {
    expect(paginationMeta('last_id', { pageSize: 10, pageNumber: 1, returned: 10, total: 25, lastId: '10' })).toEqual({ last_id: '10', total_records: 25 });
  });
});

describe('authProblem', () => {
  const now = 1_800_000_000;
  it('accepts the right token with a current time', () => {
    expect(authProblem({ token: 'secret-token', time: String(now - 60) }, 'secret-token', 900, now)).toBeNull();
  });

  it('names the problem without echoing the token', () => {
    expect(authProblem({}, 'secret-token', 900, now)).toBe('Missing token');
    expect(authProblem({ token: 'secret-tokex', time: String(now) }, 'secret-token', 900, now)).toBe('Invalid token');
    expect(authProblem({ token: 'secret-token' }, 'secret-token', 900, now)).toBe('Missing or invalid time');
    expect(authProblem({ token: 'secret-token', time: String(now - 901) }, 'secret-token', 900, now)).toBe('Request time is too far from server time');
    expect(authProblem({ token: 'secret-token', time: String(now - 10_000) }, 'secret-token', 0, now)).toBeNull();
  });
});

describe('PerTokenRateLimiter', () => {
  it('lets the limit through per second per token, then asks for a one-second wait', () => {
    const limiter = new PerTokenRateLimiter();
    expect([1, 2, 3].map(() => limiter.take('a', 2, 5_000))).toEqual([0, 0, 1]);
    expect(limiter.take('b', 2, 5_100)).toBe(0);
    expect(limiter.take('a', 2, 6_000)).toBe(0);
    expect(limiter.take('a', 0, 6_001)).toBe(0);
  });
});
