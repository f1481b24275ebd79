import { observedLimitFrom } from './rate-limit-headers';

describe('observedLimitFrom', () => {
  const now = 1_800_000_000_000;

  it('reads remaining and a reset in seconds from now (the sandbox sends milliseconds as decimals)', () => {
    const headers = new Headers({ 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '42', 'X-RateLimit-Reset': '12.345' });
    expect(observedLimitFrom(200, headers, now)).toEqual({ remaining: 42, resetInMs: 12_345 });
  });

  it('reads a reset given as epoch seconds', () => {
    expect(observedLimitFrom(200, { 'x-ratelimit-reset': String(now / 1000 + 30) }, now)).toEqual({ resetInMs: 30_000 });
  });

  it('marks a 429 and falls back on Retry-After (seconds or an HTTP date)', () => {
    expect(observedLimitFrom(429, { 'Retry-After': '7' }, now)).toEqual({ resetInMs: 7_000, limited: true });
    expect(observedLimitFrom(429, { 'retry-after': new Date(now + 5_000).toUTCString() }, now)).toEqual({ resetInMs: 5_000, limited: true });
  });

  it('ignores Retry-After on a success and malformed values anywhere', () => {
    expect(observedLimitFrom(200, { 'retry-after': '3', 'x-ratelimit-remaining': 'lots', 'x-ratelimit-reset': '-1' }, now)).toEqual({});
  });
});
