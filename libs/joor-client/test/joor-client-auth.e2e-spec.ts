import { sleep } from '@app/util';
import { JoorApiError, JoorAuthError } from '../src';
import { clientFixture, type ClientFixture } from './joor-client.fixture';

describe('JoorClient authentication', () => {
  let fx: ClientFixture;

  beforeAll(async () => {
    fx = await clientFixture('auth', { JOOR_SANDBOX_TOKEN_TTL_SECONDS: '3' });
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

    // 3 s tokens are used until 10% before expiry; then exactly one of the two re-authenticates.
    await sleep(2_800);
    await Promise.all([a.seasons(), b.seasons(), a.traits()]);
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
