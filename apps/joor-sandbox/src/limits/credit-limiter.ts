import { Inject, Injectable } from '@nestjs/common';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { SandboxDb } from '../store/sandbox-db';

export interface CreditDecision {
  granted: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
}

/**
 * JOOR's credit limit: a fixed window per account that starts at the account's first request
 * after the previous window ended. Counted in one upsert (a row lock), so several sandbox
 * processes sharing the database can never overspend; a refused call costs nothing.
 */
@Injectable()
export class CreditLimiter {
  constructor(
    private readonly db: SandboxDb,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  async charge(accountId: string, cost: number): Promise<CreditDecision> {
    const limit = this.config.creditsPerWindow;
    const row = await this.db.one<{ used: number; granted: boolean; reset_seconds: number }>(
      `INSERT INTO joor_sandbox.credit_windows AS w (account_id, window_start, used, granted)
       VALUES ($1, statement_timestamp(), $2, true)
       ON CONFLICT (account_id) DO UPDATE SET
         window_start = CASE WHEN w.window_start + make_interval(secs => $3) <= statement_timestamp() THEN statement_timestamp() ELSE w.window_start END,
         used = CASE WHEN w.window_start + make_interval(secs => $3) <= statement_timestamp() THEN $2
                     WHEN w.used + $2 <= $4 THEN w.used + $2 ELSE w.used END,
         granted = (w.window_start + make_interval(secs => $3) <= statement_timestamp()) OR (w.used + $2 <= $4)
       RETURNING used, granted,
         extract(epoch FROM (window_start + make_interval(secs => $3) - statement_timestamp()))::float8 AS reset_seconds`,
      [accountId, cost, this.config.windowSeconds, limit],
    );
    if (!row) throw new Error('credit window upsert returned nothing');
    return { granted: row.granted, limit, remaining: Math.max(0, limit - row.used), resetSeconds: Math.max(0, row.reset_seconds) };
  }

  async state(accountId: string): Promise<{ used: number; windowStart: string | null; resetSeconds: number }> {
    const row = await this.db.one<{ used: number; window_start: Date; reset_seconds: number }>(
      `SELECT used, window_start, extract(epoch FROM (window_start + make_interval(secs => $2) - statement_timestamp()))::float8 AS reset_seconds
       FROM joor_sandbox.credit_windows WHERE account_id = $1`,
      [accountId, this.config.windowSeconds],
    );
    if (!row || row.reset_seconds <= 0) return { used: 0, windowStart: null, resetSeconds: 0 };
    return { used: row.used, windowStart: row.window_start.toISOString(), resetSeconds: row.reset_seconds };
  }

  async reset(): Promise<void> {
    await this.db.query('DELETE FROM joor_sandbox.credit_windows');
  }
}

export const RATE_LIMIT_HEADERS = {
  limit: 'X-RateLimit-Limit',
  remaining: 'X-RateLimit-Remaining',
  reset: 'X-RateLimit-Reset',
  account: 'X-Throttling-Account-Id',
} as const;

export function rateLimitHeaders(accountId: string, decision: CreditDecision): Record<string, string> {
  const headers: Record<string, string> = {
    [RATE_LIMIT_HEADERS.limit]: String(decision.limit),
    [RATE_LIMIT_HEADERS.remaining]: String(decision.remaining),
    [RATE_LIMIT_HEADERS.reset]: decision.resetSeconds.toFixed(3),
    [RATE_LIMIT_HEADERS.account]: accountId,
  };
  if (!decision.granted) headers['Retry-After'] = String(Math.max(1, Math.ceil(decision.resetSeconds)));
  return headers;
}
