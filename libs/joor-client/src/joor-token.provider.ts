import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { sleep } from '@app/util';
import { tokenSchema, type JoorToken } from './joor-api.schemas';
import { JoorApiError, JoorAuthError } from './joor-errors';
import { isTransientStatus, retryDelayMs, type RetryPolicy } from './retry-policy';

export interface JoorV4Credentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/**
 * Seals what the provider caches in Redis (access and refresh tokens): the same AES-GCM key as the
 * stored connection secrets (`SecretCipher` of @app/util), so a Redis dump or a MONITOR shows no token.
 */
export interface TokenCipher {
  encrypt(plaintext: string): string;
  /** Throws on anything it did not seal (tampered, another key, a cache from before encryption). */
  decrypt(sealed: string): string;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is not used any more (a margin before JOOR's expiry). */
  useUntil: number;
}

export interface TokenProviderOptions {
  authUrl: string;
  accountId: string;
  credentials: JoorV4Credentials;
  redis: Redis;
  tokenCipher: TokenCipher;
  keyPrefix: string;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Longest a process waits for another one's authentication. */
  lockTtlMs?: number;
}

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** Compares the token's digest: the sealed token itself cannot be read inside Redis. */
const DROP_IF_SAME = `local v = redis.call('GET', KEYS[1]) if v and cjson.decode(v).digest == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** The shared access-token entry: the sealed token and a digest naming it for DROP_IF_SAME. */
interface StoredToken {
  digest: string;
  sealed: string;
}

function tokenDigest(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex');
}

/** Re-authenticate this long before JOOR's expiry: 10% of the lifetime, at most a minute. */
export function expiryMarginMs(expiresInSeconds: number): number {
  return Math.min(60_000, expiresInSeconds * 100);
}

/**
 * The v4 access token of one JOOR account, shared by every process through Redis: one process
 * authenticates (under a Redis lock) and the others read its token. Refresh tokens are used
 * while valid; a refused refresh falls back to the password grant.
 */
export class JoorTokenProvider {
  private local: CachedToken | null = null;
  private inflight: Promise<string> | null = null;
  private readonly tokenKey: string;
  private readonly refreshKey: string;
  private readonly lockKey: string;
  /** Token requests this instance sent to JOOR (for tests and metrics). */
  authCalls = 0;

  constructor(private readonly options: TokenProviderOptions) {
    // Keys name the account and a hash of who signs in, never the credentials themselves.
    const who = createHash('sha256').update(`${options.authUrl}|${options.credentials.clientId}|${options.credentials.username}`).digest('hex').slice(0, 16);
    const base = `${options.keyPrefix}joor:auth:${options.accountId}:${who}`;
    this.tokenKey = `${base}:access`;
    this.refreshKey = `${base}:refresh`;
    this.lockKey = `${base}:lock`;
  }

  async token(): Promise<string> {
    if (this.local && this.local.useUntil > Date.now()) return this.local.accessToken;
    this.inflight ??= this.obtain().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /**
   * Signs in with the password grant now, bypassing and not touching the shared cache: the
   * connection test must prove these credentials work, not that someone's cached token does.
   */
  async verifyCredentials(): Promise<void> {
    await this.grant({ grant_type: 'password', username: this.options.credentials.username, password: this.options.credentials.password });
  }

  /** JOOR refused `accessToken` (401): forget it here and in Redis, unless another process already replaced it. */
  async invalidate(accessToken: string): Promise<void> {
    if (this.local?.accessToken === accessToken) this.local = null;
    await this.options.redis.eval(DROP_IF_SAME, 1, this.tokenKey, tokenDigest(accessToken));
  }

  private async obtain(): Promise<string> {
    const lockTtlMs = this.options.lockTtlMs ?? this.options.timeoutMs * 2 + 5_000;
    const deadline = Date.now() + lockTtlMs * 2;
    while (Date.now() < deadline) {
      const shared = await this.readShared();
      if (shared) return shared;
      const lockId = randomUUID();
      const locked = await this.options.redis.set(this.lockKey, lockId, 'PX', lockTtlMs, 'NX');
      if (locked) {
        try {
          // Another process may have finished between our read and our lock.
          return (await this.readShared()) ?? (await this.authenticate());
        } finally {
          await this.options.redis.eval(RELEASE_LOCK, 1, this.lockKey, lockId);
        }
      }
      // Someone else is signing in: wait for their token.
      await sleep(100);
    }
    throw new JoorApiError('Timed out waiting for another process to authenticate with JOOR', { httpStatus: null, transient: true, method: 'POST', path: '/auth/', attempts: 0 });
  }

  private async readShared(): Promise<string | null> {
    const raw = await this.options.redis.get(this.tokenKey);
    if (!raw) return null;
    const opened = this.open((safeJson(raw) as StoredToken | undefined)?.sealed);
    const cached = opened ? (safeJson(opened) as CachedToken | undefined) : undefined;
    if (!cached || cached.useUntil <= Date.now()) return null;
    this.local = cached;
    return cached.accessToken;
  }

  private async authenticate(): Promise<string> {
    const refresh = this.open(await this.options.redis.get(this.refreshKey));
    let token: JoorToken | null = null;
    if (refresh) {
      token = await this.grant({ grant_type: 'refresh_token', refresh_token: refresh }).catch((err: unknown) => {
        if (err instanceof JoorAuthError) return null;
        throw err;
      });
    }
    token ??= await this.grant({ grant_type: 'password', username: this.options.credentials.username, password: this.options.credentials.password });
    const useUntil = Date.now() + token.expires_in * 1000 - expiryMarginMs(token.expires_in);
    const cached: CachedToken = { accessToken: token.access_token, useUntil };
    const ttl = Math.max(1, useUntil - Date.now());
    const { tokenCipher } = this.options;
    const entry: StoredToken = { digest: tokenDigest(cached.accessToken), sealed: tokenCipher.encrypt(JSON.stringify(cached)) };
    const multi = this.options.redis.multi().set(this.tokenKey, JSON.stringify(entry), 'PX', ttl);
    if (token.refresh_token && token.refresh_expires_in) {
      multi.set(this.refreshKey, tokenCipher.encrypt(token.refresh_token), 'PX', Math.max(1, token.refresh_expires_in * 1000 - expiryMarginMs(token.refresh_expires_in)));
    } else multi.del(this.refreshKey);
    await multi.exec();
    this.local = cached;
    return cached.accessToken;
  }

  /**
   * A sealed cache value opened, or null when it cannot be (another key, tampered, or written
   * before tokens were sealed): the caller then signs in again and overwrites it.
   */
  private open(sealed: string | null | undefined): string | null {
    if (typeof sealed !== 'string') return null;
    try {
      return this.options.tokenCipher.decrypt(sealed);
    } catch {
      return null;
    }
  }

  /** One grant against JOOR's token endpoint, retried on transient failures; auth calls cost no credits. */
  private async grant(fields: Record<string, string>): Promise<JoorToken> {
    const { retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      const form = new FormData();
      form.set('client_id', this.options.credentials.clientId);
      form.set('client_secret', this.options.credentials.clientSecret);
      for (const [key, value] of Object.entries(fields)) form.set(key, value);
      let status: number | null = null;
      let problem: string;
      try {
        this.authCalls++;
        const res = await fetch(this.options.authUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(this.options.timeoutMs) });
        status = res.status;
        const text = await res.text();
        if (res.ok) {
          const parsed = tokenSchema.safeParse(safeJson(text));
          if (parsed.success) return parsed.data;
          problem = 'JOOR answered the token request with an unreadable body';
        } else {
          const body = safeJson(text) as { error?: string; error_description?: string } | undefined;
          problem = `JOOR refused authentication: ${body?.error_description ?? body?.error ?? `HTTP ${res.status}`}`;
          if (!isTransientStatus(res.status)) {
            throw new JoorAuthError(problem, { httpStatus: res.status, joorStatus: body?.error ?? null, transient: false, method: 'POST', path: '/auth/', attempts: attempt });
          }
        }
      } catch (err) {
        if (err instanceof JoorApiError) throw err;
        problem = `JOOR's token endpoint did not answer (${(err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'})`;
      }
      if (attempt >= retry.maxAttempts) throw new JoorApiError(problem, { httpStatus: status, transient: true, method: 'POST', path: '/auth/', attempts: attempt });
      await sleep(retryDelayMs(retry, attempt));
    }
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
