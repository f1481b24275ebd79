import { parseFaultConfig } from './fault-rule';

describe('parseFaultConfig', () => {
  it('accepts a bare array of rules and normalises the method', () => {
    expect(parseFaultConfig([{ path: '/v4/products', method: 'post', kinds: ['429'], rate: 1, times: 2 }])).toEqual({
      config: { rules: [{ path: '/v4/products', method: 'POST', kinds: ['429'], rate: 1, times: 2 }] },
      problems: [],
    });
  });

  it('accepts the object form with seed and timings', () => {
    const { config } = parseFaultConfig({ rules: [{ path: '^/v2/order/?$', kinds: ['timeout', 'slow'], rate: 0.5 }], seed: 7, timeoutMs: 500, slowMs: 100, retryAfterSeconds: 3 });
    expect(config).toEqual({ rules: [{ path: '^/v2/order/?$', kinds: ['timeout', 'slow'], rate: 0.5 }], seed: 7, timeoutMs: 500, slowMs: 100, retryAfterSeconds: 3 });
  });

  it('lists every problem at once', () => {
    const { config, problems } = parseFaultConfig({
      rules: [{ path: 'v4', kinds: [], rate: 2, times: 0, method: 'FETCH', extra: 1 }, { path: '^(', kinds: ['404'], rate: -1 }, 'x'],
      seed: -1,
      colour: 'red',
    });
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      'unknown field "colour"',
      '"seed" must be an integer from 0 to 4294967295',
      'rules[0]: unknown field "extra"',
      'rules[0].path must start with "/" (a prefix) or "^" (a regular expression)',
      'rules[0].method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      'rules[0].kinds must be a non-empty array of 429, 500, 502, 503, 504, timeout, reset, slow, malformed, mangle',
      'rules[0].rate must be a number from 0 to 1',
      'rules[0].times must be a positive integer',
      'rules[1].path is not a valid regular expression',
      'rules[1].kinds must be a non-empty array of 429, 500, 502, 503, 504, timeout, reset, slow, malformed, mangle',
      'rules[1].rate must be a number from 0 to 1',
      'rules[2] must be an object',
    ]);
  });

  it('takes the new kinds, and a phase only when given (the default stays "before", unsaid)', () => {
    expect(parseFaultConfig([{ path: '/api', kinds: ['502', '504', 'reset'], rate: 1 }])).toEqual({ config: { rules: [{ path: '/api', kinds: ['502', '504', 'reset'], rate: 1 }] }, problems: [] });
    expect(parseFaultConfig([{ path: '/api', method: 'POST', kinds: ['500', '502', '503', '504', 'timeout', 'reset', 'slow', 'malformed'], rate: 1, phase: 'after' }]).config).toEqual({
      rules: [{ path: '/api', method: 'POST', kinds: ['500', '502', '503', '504', 'timeout', 'reset', 'slow', 'malformed'], rate: 1, phase: 'after' }],
    });
    expect(parseFaultConfig([{ path: '/api', kinds: ['429'], rate: 1, phase: 'before' }]).config).toEqual({ rules: [{ path: '/api', kinds: ['429'], rate: 1, phase: 'before' }] });
  });

  it('refuses an unknown phase, and a 429 after the work (a 429 says the request was refused)', () => {
    expect(parseFaultConfig([{ path: '/api', kinds: ['504'], rate: 1, phase: 'later' }]).problems).toEqual(['rules[0].phase must be one of before, after']);
    expect(parseFaultConfig([{ path: '/api', kinds: ['503', '429'], rate: 1, phase: 'after' }]).problems).toEqual(['rules[0].kinds: 429 cannot be an "after" fault (it says the request was refused)']);
    expect(parseFaultConfig([{ path: '/api', kinds: ['504'], rate: 1, after: true }]).problems).toEqual(['rules[0]: unknown field "after"']);
  });

  it('refuses a body that is neither an array nor an object with rules', () => {
    expect(parseFaultConfig('nope').problems).toEqual(['body must be a JSON array of rules or an object with "rules"']);
    expect(parseFaultConfig({}).problems).toEqual(['"rules" must be an array']);
  });
});

describe('parseFaultConfig: mangle rules', () => {
  it('takes the mutations and the record of a mangle rule, and names what is wrong with them', () => {
    expect(parseFaultConfig([{ path: '/api/json/products', kinds: ['mangle'], rate: 1, mutations: ['null-id', 'huge-string'], record: 2 }]).config?.rules).toEqual([
      { path: '/api/json/products', kinds: ['mangle'], rate: 1, mutations: ['null-id', 'huge-string'], record: 2 },
    ]);
    expect(parseFaultConfig([{ path: '/x', kinds: ['mangle'], rate: 1, mutations: ['sideways'], record: -1 }]).problems).toEqual([
      expect.stringMatching(/^rules\[0\]\.mutations must be a non-empty array of missing-id, /),
      'rules[0].record must be an integer from 0',
    ]);
  });
});
