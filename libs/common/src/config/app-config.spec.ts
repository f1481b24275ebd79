import { ConfigError } from './config-error';
import { DEV_DEFAULTS, loadConfig } from './app-config';

const PROD_ENV = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://:redis-pw@redis.internal:6379',
  DATABASE_URL: 'postgres://sync:pw@db.internal:5432/sync',
  SECRETS_ENCRYPTION_KEY: 'a'.repeat(64),
  GATEWAY_API_KEY: 'k'.repeat(32),
  BULL_BOARD_USER: 'ops',
  BULL_BOARD_PASSWORD: 'p'.repeat(20),
};

const DEV_KEY = Buffer.from(DEV_DEFAULTS.SECRETS_ENCRYPTION_KEY, 'hex');

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => i.variable);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every service working development defaults and its own port', () => {
    expect(loadConfig('gateway', {}).port).toBe(3000);
    const config = loadConfig('order-ingest', {});
    expect(config.port).toBe(3005);
    expect(config.redisUrl).toBe(DEV_DEFAULTS.REDIS_URL);
    expect(config.secretsKey).toHaveLength(32);
  });

  it('lets PORT override the default port', () => {
    expect(loadConfig('media-sync', { PORT: '4100' }).port).toBe(4100);
  });

  it('names each malformed variable', () => {
    const bad = issuesOf(() => loadConfig('gateway', { REDIS_URL: 'localhost:6379', DATABASE_URL: 'mysql://x/y', PORT: 'eighty', SECRETS_ENCRYPTION_KEY: 'short' }));
    expect(bad.sort()).toEqual(['DATABASE_URL', 'PORT', 'REDIS_URL', 'SECRETS_ENCRYPTION_KEY']);
  });

  it('refuses production without real values for every required variable', () => {
    const missing = issuesOf(() => loadConfig('gateway', { NODE_ENV: 'production' }));
    expect(missing.sort()).toEqual(['BULL_BOARD_PASSWORD', 'BULL_BOARD_USER', 'DATABASE_URL', 'GATEWAY_API_KEY', 'REDIS_URL', 'SECRETS_ENCRYPTION_KEY']);
  });

  it('refuses development defaults in production', () => {
    const bad = issuesOf(() => loadConfig('gateway', { ...PROD_ENV, GATEWAY_API_KEY: DEV_DEFAULTS.GATEWAY_API_KEY }));
    expect(bad).toEqual(['GATEWAY_API_KEY']);
  });

  it.each([
    ['hex', DEV_KEY.toString('hex')],
    ['upper-case hex', DEV_KEY.toString('hex').toUpperCase()],
    ['base64', DEV_KEY.toString('base64')],
    ['base64 unpadded', DEV_KEY.toString('base64').replace(/=+$/, '')],
    ['base64url', DEV_KEY.toString('base64url')],
    ['hex with surrounding spaces', ` ${DEV_KEY.toString('hex')}\n`],
  ])('refuses the development encryption key in production given as %s', (_encoding, key) => {
    expect(issuesOf(() => loadConfig('catalog-sync', { ...PROD_ENV, SECRETS_ENCRYPTION_KEY: key }))).toEqual(['SECRETS_ENCRYPTION_KEY']);
    // Outside production the same spelling is the development key, and accepted.
    expect(loadConfig('catalog-sync', { SECRETS_ENCRYPTION_KEY: key }).secretsKey.equals(DEV_KEY)).toBe(true);
  });

  it('accepts another key in every encoding in production', () => {
    const key = Buffer.from(PROD_ENV.SECRETS_ENCRYPTION_KEY, 'hex');
    for (const spelled of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      expect(loadConfig('catalog-sync', { ...PROD_ENV, SECRETS_ENCRYPTION_KEY: spelled }).secretsKey.equals(key)).toBe(true);
    }
  });

  it('allows http connection URLs for the sandboxes by default in development, for no host in production unless set', () => {
    expect(loadConfig('gateway', {}).gateway.connectionHttpHosts).toEqual(['127.0.0.1', 'localhost', 'amc-sandbox', 'joor-sandbox']);
    expect(loadConfig('gateway', PROD_ENV).gateway.connectionHttpHosts).toEqual([]);
    expect(loadConfig('gateway', { ...PROD_ENV, CONNECTION_HTTP_HOSTS: ' AMC-Sandbox , joor-sandbox' }).gateway.connectionHttpHosts).toEqual(['amc-sandbox', 'joor-sandbox']);
    expect(issuesOf(() => loadConfig('gateway', { CONNECTION_HTTP_HOSTS: 'http://amc-sandbox:4001' }))).toEqual(['CONNECTION_HTTP_HOSTS']);
  });

  it('refuses a production REDIS_URL without a password, and takes one with a password over TLS', () => {
    for (const url of ['redis://redis.internal:6379', 'rediss://redis.internal:6380', 'redis://user@redis.internal:6379']) {
      expect(issuesOf(() => loadConfig('catalog-sync', { ...PROD_ENV, REDIS_URL: url }))).toEqual(['REDIS_URL']);
    }
    expect(loadConfig('catalog-sync', { ...PROD_ENV, REDIS_URL: 'rediss://app:s3cret@redis.internal:6380' }).redisUrl).toBe('rediss://app:s3cret@redis.internal:6380');
    // Development keeps the password-less local Redis.
    expect(loadConfig('catalog-sync', { REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('accepts a complete production environment', () => {
    const config = loadConfig('gateway', PROD_ENV);
    expect(config.nodeEnv).toBe('production');
    expect(config.gateway.bullBoardUser).toBe('ops');
  });

  it('does not ask sync services for gateway-only variables', () => {
    const { GATEWAY_API_KEY: _k, BULL_BOARD_USER: _u, BULL_BOARD_PASSWORD: _p, ...env } = PROD_ENV;
    expect(loadConfig('catalog-sync', env).service).toBe('catalog-sync');
  });

  it('keeps the message free of the offending values', () => {
    try {
      loadConfig('gateway', { DATABASE_URL: 'postgres-ish://user:hunter2@db' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).toContain('DATABASE_URL');
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});
