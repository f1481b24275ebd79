import { requestIdOf, requestLogLevel } from './request-log';

describe('requestIdOf', () => {
  it("keeps the caller's x-request-id when it is a plain token, else makes a UUID", () => {
    expect(requestIdOf('req-42.a:b@c')).toBe('req-42.a:b@c');
    expect(requestIdOf(['first-id', 'second'])).toBe('first-id');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), '{"json":1}', 'line\nbreak']) expect(requestIdOf(bad)).toMatch(uuid);
  });
});

describe('requestLogLevel', () => {
  it('logs a failure of the service at error, a client mistake at warn, the rest at info, probes at debug', () => {
    expect(requestLogLevel('/connections', 500)).toBe('error');
    expect(requestLogLevel('/connections', 413)).toBe('warn');
    expect(requestLogLevel('/connections', 404)).toBe('warn');
    expect(requestLogLevel('/connections', 200, new Error('request aborted'))).toBe('warn');
    expect(requestLogLevel('/connections/1/sync/styles', 202)).toBe('info');
    expect(requestLogLevel('/health/ready', 503)).toBe('debug');
    expect(requestLogLevel('/metrics', 200)).toBe('debug');
  });
});
