import { randomBytes } from 'node:crypto';
import { SecretCipher } from '@app/util';
import { JoorApiError, JoorAuthError, type TokenCipher } from '../src';
import { clientFixture, type ClientFixture } from './joor-client.fixture';

/**
 * Moves the clients' clock (`Date`, nothing else: timers, sockets and PostgreSQL, whose clock the
 * sandbox's token expiry runs on, keep real time) by `ms` while `work` runs, so token expiry is
 * tested without waiting for it, and with tokens that last hours instead of seconds a slow
 * machine cannot expire a token by accident.
 */
async function withClientClockAhead<T>(ms: number, work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    advanceTimers: true,
  });
  try {
    jest.setSystemTime(Date.now() + ms);
    return await work();
  } finally {
    jest.useRealTimers();
  }
}

describe('JoorClient authentication', () => {
  let fx: ClientFixture;

  beforeAll(async () => {
    // The sandbox's default token lifetime (hours).
    fx = await clientFixture('auth');
  });
  afterAll(() => fx?.close());

  it('refuses bad credentials with a permanent JoorAuthError carrying JOOR message and no secret', async () => {
    const { clientId, clientSecret, username, v2Token } = fx.sb.config;
    const client = fx.client({ credentials: { clientId, clientSecret, username, password: 'secret-wrong-pw', v2Token } });
    const error = await client.seasons().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(JoorAuthError);
    expect((error as JoorApiError).transient).toBe(false);
    expect((error as Error).message).toContain('Invalid username or password');
    expect((error as Error).message).not.toContain('secret-wrong-pw');
    expect(client.tokens.authCalls).toBe(1);
  });

  it('shares one token between client instances (processes) through Redis, and refreshes it once when it expires', async () => {
    const before = (await fx.sb.control('GET', 'state')).tokensIssued as number;
    const a = fx.client();
    const b = fx.client();
    const [first, second] = await Promise.all([a.seasons(), b.priceTypes()]);
    expect(first.items.length).toBeGreaterThan(0);
    expect(second.items.map((p) => p.currency_code)).toContain('USD');
    expect(a.tokens.authCalls + b.tokens.authCalls).toBe(1);
    expect((await fx.sb.control('GET', 'state')).tokensIssued).toBe(before + 1);

    // A token is used until a margin (10 % of its life, at most a minute) before it expires: half
    // its life on, both clients still use it...
    const lifeMs = fx.sb.config.tokenTtlSeconds * 1000;
    await withClientClockAhead(lifeMs / 2, () => Promise.all([a.seasons(), b.seasons()]));
    expect(a.tokens.authCalls + b.tokens.authCalls).toBe(1);
    // ...and once its life is over (for the clients: JOOR would still take it), exactly one of the
    // two signs in again and both use the new token.
    await withClientClockAhead(lifeMs, () => Promise.all([a.seasons(), b.seasons(), a.traits()]));
    expect(a.tokens.authCalls + b.tokens.authCalls).toBe(2);
    expect((await fx.sb.control('GET', 'state')).tokensIssued).toBe(before + 2);
  });

  it('on a 401 for a token JOOR dropped early, invalidates it and signs in again once', async () => {
    const client = fx.client();
    await client.seasons();
    const calls = client.tokens.authCalls;
    await fx.sb.control('POST', 'tokens/expire');
    const seasons = await client.seasons();
    expect(seasons.items.length).toBeGreaterThan(0);
    expect(client.tokens.authCalls).toBe(calls + 1);
    expect(fx.events.some((e) => e.status === 401 && e.outcome === 'retry')).toBe(true);
  });

  it('caches the access and refresh tokens in Redis sealed: the raw values hold neither token, and another key cannot open them', async () => {
    // Clears the cache of the earlier tests so this client signs in and writes both tokens.
    const stale = await fx.redis.keys(`${fx.prefix}joor:auth:*`);
    if (stale.length) await fx.redis.del(...stale);
    const cipher = new SecretCipher(randomBytes(32));
    const sealedPlaintexts: string[] = [];
    const recording: TokenCipher = { encrypt: (plain) => (sealedPlaintexts.push(plain), cipher.encrypt(plain)), decrypt: (sealed) => cipher.decrypt(sealed) };
    const client = fx.client({ tokenCipher: recording });
    await client.seasons();
    const accessToken = await client.tokens.token();
    const refreshToken = sealedPlaintexts.find((plain) => !plain.includes(accessToken));
    expect(sealedPlaintexts.some((plain) => plain.includes(accessToken))).toBe(true);
    expect(refreshToken).toMatch(/.{16,}/);

    const keys = (await fx.redis.keys(`${fx.prefix}joor:auth:*`)).filter((key) => !key.endsWith(':lock'));
    expect(keys.map((key) => key.split(':').pop()).sort()).toEqual(['access', 'refresh']);
    for (const key of keys) {
      const raw = (await fx.redis.get(key)) as string;
      expect(raw.length).toBeGreaterThan(0);
      expect(raw).not.toContain(accessToken);
      expect(raw).not.toContain(refreshToken);
    }

    // A process with the same key shares the sealed token; one with another key cannot open it and signs in itself.
    const sibling = fx.client({ tokenCipher: cipher });
    await sibling.seasons();
    expect(sibling.tokens.authCalls).toBe(0);
    const stranger = fx.client({ tokenCipher: new SecretCipher(randomBytes(32)) });
    await stranger.seasons();
    expect(stranger.tokens.authCalls).toBe(1);
  });

  it('speaks v2 with OAuth2 base64(token) and a Content-Type; a wrong v2 token is a permanent error', async () => {
    expect((await fx.client().orderFeedPage({ count: 1 })).items).toHaveLength(1);
    const { clientId, clientSecret, username, password } = fx.sb.config;
    const wrong = fx.client({ credentials: { clientId, clientSecret, username, password, v2Token: 'not-the-token' } });
    const error = (await wrong.orderFeedPage().catch((err: unknown) => err)) as JoorApiError;
    expect(error).toBeInstanceOf(JoorApiError);
    expect(error.httpStatus).toBe(401);
    expect(error.transient).toBe(false);
    expect(error.message).not.toContain('not-the-token');
  });
});
