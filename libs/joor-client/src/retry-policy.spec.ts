import { DEFAULT_RETRY_POLICY, isTransientStatus, retryDelayMs } from './retry-policy';
import { expiryMarginMs } from './joor-token.provider';

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('grows exponentially with jitter between half and the whole ceiling, capped', () => {
    expect(retryDelayMs(policy, 1, null, () => 0)).toBe(50);
    expect(retryDelayMs(policy, 1, null, () => 1)).toBe(100);
    expect(retryDelayMs(policy, 3, null, () => 1)).toBe(400);
    expect(retryDelayMs(policy, 10, null, () => 1)).toBe(1_000);
  });

  it('never returns before a Retry-After the server named, even beyond the cap', () => {
    expect(retryDelayMs(policy, 1, 5_000, () => 0)).toBe(5_000);
    expect(retryDelayMs(policy, 1, 5_000, () => 1)).toBe(5_100);
  });

  it('has a sane default', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });
});

describe('isTransientStatus', () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [408, true],
    [400, false],
    [401, false],
    [404, false],
    [422, false],
  ])('%i -> %s', (status, transient) => expect(isTransientStatus(status)).toBe(transient));
});

describe('expiryMarginMs', () => {
  it('re-authenticates a minute early for JOOR long tokens and 10% early for short ones', () => {
    expect(expiryMarginMs(36_000)).toBe(60_000);
    expect(expiryMarginMs(10)).toBe(1_000);
  });
});
