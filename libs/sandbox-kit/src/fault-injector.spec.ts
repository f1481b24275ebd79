import { FaultInjector } from './fault-injector';
import type { FaultConfig } from './fault-rule';
import { resolveSandboxKitOptions } from './sandbox-kit.options';

function injector(config: FaultConfig, faultSeed = 1): FaultInjector {
  const faults = new FaultInjector(resolveSandboxKitOptions({ faultSeed, timeoutMs: 900, slowMs: 50, retryAfterSeconds: 4 }));
  faults.configure(config);
  return faults;
}

function kinds(faults: FaultInjector, n: number, method = 'GET', path = '/v4/products'): Array<string | null> {
  return Array.from({ length: n }, () => faults.decide(method, path)?.kind ?? null);
}

describe('FaultInjector', () => {
  it('matches a prefix, a regular expression and a method', () => {
    const faults = injector({
      rules: [
        { path: '/v4/prod', kinds: ['500'], rate: 1 },
        { path: '^/v2/order/?$', method: 'GET', kinds: ['503'], rate: 1 },
      ],
    });
    expect(faults.decide('GET', '/v4/products/bulk_create')?.kind).toBe('500');
    expect(faults.decide('GET', '/v2/order/')?.kind).toBe('503');
    expect(faults.decide('POST', '/v2/order/')).toBeNull();
    expect(faults.decide('GET', '/v2/order/123')).toBeNull();
    expect(faults.decide('GET', '/v4/skus')).toBeNull();
  });

  it('carries the timings of the set-up into the decision', () => {
    expect(injector({ rules: [{ path: '/', kinds: ['429'], rate: 1 }], timeoutMs: 1234 }).decide('GET', '/x')).toEqual({
      kind: '429',
      phase: 'before',
      rule: 0,
      timeoutMs: 1234,
      slowMs: 50,
      retryAfterSeconds: 4,
    });
  });

  it("carries the rule's phase into the decision, `before` when the rule does not say", () => {
    const faults = injector({
      rules: [
        { path: '/orders', method: 'POST', kinds: ['504'], rate: 1, phase: 'after' },
        { path: '/', kinds: ['reset'], rate: 1 },
      ],
    });
    expect(faults.decide('POST', '/orders')).toMatchObject({ kind: '504', phase: 'after', rule: 0 });
    expect(faults.decide('GET', '/orders')).toMatchObject({ kind: 'reset', phase: 'before', rule: 1 });
    expect(faults.describe().rules.map((r) => r.phase)).toEqual(['after', undefined]);
  });

  it('stops a rule after `times` faults and lets the next rule answer', () => {
    const faults = injector({
      rules: [
        { path: '/', kinds: ['429'], rate: 1, times: 2 },
        { path: '/', kinds: ['slow'], rate: 1, times: 1 },
      ],
    });
    expect(kinds(faults, 5)).toEqual(['429', '429', 'slow', null, null]);
    expect(faults.describe().rules.map((r) => [r.injected, r.remaining])).toEqual([
      [2, 0],
      [1, 0],
    ]);
  });

  it('faults about `rate` of the matching requests', () => {
    const hits = kinds(injector({ rules: [{ path: '/', kinds: ['500'], rate: 0.3 }] }), 2000).filter((k) => k !== null).length;
    expect(hits / 2000).toBeGreaterThan(0.25);
    expect(hits / 2000).toBeLessThan(0.35);
    expect(kinds(injector({ rules: [{ path: '/', kinds: ['500'], rate: 0 }] }), 100).every((k) => k === null)).toBe(true);
  });

  it('repeats the same faults for the same seed, and picks among several kinds', () => {
    const config: FaultConfig = { rules: [{ path: '/', kinds: ['429', 'timeout', 'malformed'], rate: 0.5 }], seed: 42 };
    const first = kinds(injector(config), 200);
    expect(kinds(injector(config), 200)).toEqual(first);
    expect(kinds(injector({ ...config, seed: 43 }), 200)).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([null, '429', 'timeout', 'malformed']));
  });

  it('restarts the dice on each configure and forgets the rules on clear', () => {
    const faults = injector({ rules: [{ path: '/', kinds: ['500'], rate: 0.5 }], seed: 9 });
    const first = kinds(faults, 50);
    faults.configure({ rules: [{ path: '/', kinds: ['500'], rate: 0.5 }], seed: 9 });
    expect(kinds(faults, 50)).toEqual(first);
    faults.clear();
    expect(faults.describe().rules).toEqual([]);
    expect(faults.decide('GET', '/')).toBeNull();
  });
});
