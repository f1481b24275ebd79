import { AppLogger } from './app-logger';
import { REDACTED, redact, redactText } from './redact';

describe('redact', () => {
  it('masks secret-looking keys at any depth', () => {
    const out = redact({ name: 'Acme', amc: { token: 'abc', baseUrl: 'https://x' }, joor: [{ clientSecret: 's', password: 'p', v2Token: 't' }], apiKey: 'k' }) as any;
    expect(out.name).toBe('Acme');
    expect(out.amc).toEqual({ token: REDACTED, baseUrl: 'https://x' });
    expect(out.joor[0]).toEqual({ clientSecret: REDACTED, password: REDACTED, v2Token: REDACTED });
    expect(out.apiKey).toBe(REDACTED);
  });

  it('scrubs secrets inside free text', () => {
    const text = redactText('GET /api/json/products?token=s3cr3t&time=1 Authorization: Bearer eyJhbGciOi.x.y client_secret=abc password=hunter2 redis://user:pw@host:6379');
    for (const secret of ['s3cr3t', 'eyJhbGciOi', 'abc', 'hunter2', ':pw@']) expect(text).not.toContain(secret);
    expect(text).toContain('time=1');
  });

  it('keeps JSON bodies readable but without their secrets', () => {
    expect(redactText('{"access_token":"tok","expires_in":36000}')).toBe(`{"access_token":"${REDACTED}","expires_in":36000}`);
  });
});

describe('AppLogger', () => {
  it('writes one JSON line per entry with no secret in it', () => {
    const lines: string[] = [];
    const logger = new AppLogger({ service: 'gateway', level: 'info', sink: (line) => lines.push(line) });
    logger.log({ msg: 'created', connection: { token: 'plain-token' } }, 'Connections');
    logger.error('auth failed for password=hunter2', 'stack with token=abc', 'Joor');
    logger.debug('hidden at info level');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ level: 'info', service: 'gateway', context: 'Connections', msg: 'created' });
    expect(lines.join('\n')).not.toMatch(/plain-token|hunter2|token=abc/);
  });

  it('demotes Nest boot chatter to debug', () => {
    const lines: string[] = [];
    new AppLogger({ service: 'gateway', level: 'info', sink: (line) => lines.push(line) }).log('AppModule dependencies initialized', 'InstanceLoader');
    expect(lines).toHaveLength(0);
  });
});
