import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { MetaRepository } from '../store/meta.repository';
import { SandboxDb } from '../store/sandbox-db';

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  token_type: 'Bearer';
  scope: string;
}

/** An OAuth2-style failure of `POST /auth/`. */
export class AuthError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    message: string,
  ) {
    super(message);
  }
}

export type TokenCheck = { ok: true; accountId: string } | { ok: false; reason: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

@Injectable()
export class TokenService {
  constructor(
    private readonly db: SandboxDb,
    private readonly meta: MetaRepository,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  async grant(form: Record<string, unknown>): Promise<TokenResponse> {
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    if (!field('client_id') || !field('client_secret')) throw new AuthError(400, 'invalid_request', 'client_id and client_secret are required');
    if (!same(field('client_id'), this.config.clientId) || !same(field('client_secret'), this.config.clientSecret)) {
      throw new AuthError(401, 'invalid_client', 'Client authentication failed');
    }
    const account = await this.meta.account();
    if (!account) throw new AuthError(503 as number, 'invalid_request', 'The sandbox has not been seeded yet');
    switch (field('grant_type')) {
      case 'password':
        if (!same(field('username'), this.config.username) || !same(field('password'), this.config.password)) {
          throw new AuthError(401, 'invalid_grant', 'Invalid username or password');
        }
        return this.issue(account);
      case 'refresh_token': {
        const refresh = field('refresh_token');
        if (!refresh) throw new AuthError(400, 'invalid_request', 'refresh_token is required');
        // Refresh tokens rotate: the old pair is revoked once used.
        const row = await this.db.one<{ account_id: string }>(
          `UPDATE joor_sandbox.tokens SET revoked = true
           WHERE refresh_token = $1 AND NOT revoked AND refresh_expires_at > now() RETURNING account_id`,
          [refresh],
        );
        if (!row) throw new AuthError(401, 'invalid_grant', 'The refresh token is invalid or has expired');
        return this.issue(row.account_id);
      }
      case '':
        throw new AuthError(400, 'invalid_request', 'grant_type is required');
      default:
        throw new AuthError(400, 'unsupported_grant_type', 'grant_type must be password or refresh_token');
    }
  }

  async check(accessToken: string): Promise<TokenCheck> {
    const row = await this.db.one<{ account_id: string; expired: boolean; revoked: boolean }>(
      'SELECT account_id, expires_at <= now() AS expired, revoked FROM joor_sandbox.tokens WHERE access_token = $1',
      [accessToken],
    );
    if (!row) return { ok: false, reason: 'The access token is invalid' };
    if (row.expired) return { ok: false, reason: 'The access token has expired' };
    if (row.revoked) return { ok: false, reason: 'The access token has been revoked' };
    return { ok: true, accountId: row.account_id };
  }

  async checkV2(encoded: string): Promise<TokenCheck> {
    let token: string;
    try {
      token = Buffer.from(encoded, 'base64').toString('utf8');
    } catch {
      return { ok: false, reason: 'The OAuth2 token is not base64' };
    }
    const account = await this.meta.account();
    if (!account || !same(token, this.config.v2Token)) return { ok: false, reason: 'The OAuth2 token is invalid' };
    return { ok: true, accountId: account };
  }

  /** Tokens issued so far (for the tests of shared token caching). */
  async issuedCount(): Promise<number> {
    const row = await this.db.one<{ n: number }>('SELECT count(*)::int AS n FROM joor_sandbox.tokens');
    return row?.n ?? 0;
  }

  /** Makes every current access token expire now (tests of the client's re-auth). */
  async expireAll(): Promise<number> {
    const rows = await this.db.query('UPDATE joor_sandbox.tokens SET expires_at = now() WHERE expires_at > now() RETURNING access_token');
    return rows.length;
  }

  private async issue(accountId: string): Promise<TokenResponse> {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    await this.db.query(
      `INSERT INTO joor_sandbox.tokens (access_token, refresh_token, account_id, expires_at, refresh_expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5))`,
      [access, refresh, accountId, this.config.tokenTtlSeconds, this.config.refreshTtlSeconds],
    );
    return {
      access_token: access,
      expires_in: this.config.tokenTtlSeconds,
      refresh_token: refresh,
      refresh_expires_in: this.config.refreshTtlSeconds,
      token_type: 'Bearer',
      scope: 'read write',
    };
  }
}
