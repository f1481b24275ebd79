import { backoffDelay, parseRetryAfter, retryDelay, type BackoffPolicy } from './amc-backoff';

const policy: BackoffPolicy = { baseMs: 500, maxMs: 8_000, maxRetryAfterMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles per attempt with equal jitter between half and the full step', () => {
    expect(backoffDelay(1, policy, 0)).toBe(250);
    expect(backoffDelay(1, policy, 0.999999)).toBe(500);
    expect(backoffDelay(2, policy, 0)).toBe(500);
    expect(backoffDelay(3, policy, 0.5)).toBe(1_500);
  });

  it('never exceeds the ceiling', () => {
    expect(backoffDelay(10, policy, 0.999999)).toBe(8_000);
    expect(backoffDelay(30, policy, 0)).toBe(4_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', 0)).toBe(2_000);
    expect(parseRetryAfter('0.5', 0)).toBe(500);
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});

describe('retryDelay', () => {
  it("prefers the server's Retry-After (capped) plus jitter over the backoff", () => {
    expect(retryDelay(1, policy, 2_000, 0)).toBe(2_000);
    expect(retryDelay(1, policy, 2_000, 1)).toBe(2_250);
    expect(retryDelay(1, policy, 600_000, 0)).toBe(60_000);
    expect(retryDelay(2, policy, null, 0)).toBe(500);
  });
});
