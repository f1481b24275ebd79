import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CreditLimiter, rateLimitHeaders } from '../limits/credit-limiter';
import { TokenService } from './token.service';

const CREDIT_COST: Record<string, number> = { GET: 1, HEAD: 1, POST: 5, PUT: 5, PATCH: 5, DELETE: 5 };

function refuse(res: Response, httpStatus: number, status: string, message: string): void {
  res.status(httpStatus).json({ data: null, errors: [{ status, message, details: {} }] });
}

/**
 * In front of every /v2 and /v4 route: authenticate (v4 bearer token bound to `?account=`,
 * v2 `OAuth2 base64(token)` with a mandatory Content-Type), then charge the account's credits.
 * A refused request (401/400/403/429) costs nothing.
 */
@Injectable()
export class ApiGateMiddleware implements NestMiddleware {
  constructor(
    private readonly tokens: TokenService,
    private readonly limiter: CreditLimiter,
  ) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    res.locals.credits = 0;
    try {
      const path = req.originalUrl.split('?')[0];
      const header = req.headers.authorization ?? '';
      let accountId: string;
      if (path.startsWith('/v2/')) {
        const match = /^OAuth2\s+(\S+)$/i.exec(header);
        const check = match ? await this.tokens.checkV2(match[1]) : { ok: false as const, reason: 'Authorization: OAuth2 <token> is required' };
        if (!check.ok) return refuse(res, 401, 'UNAUTHORIZED', check.reason);
        if (!req.headers['content-type']) return refuse(res, 400, 'INVALID_REQUEST', 'The Content-Type header is required');
        accountId = check.accountId;
      } else {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        const check = match ? await this.tokens.check(match[1]) : { ok: false as const, reason: 'Authorization: Bearer <access_token> is required' };
        if (!check.ok) return refuse(res, 401, 'UNAUTHORIZED', check.reason);
        const account = req.query.account;
        if (typeof account !== 'string' || account === '') return refuse(res, 400, 'INVALID_REQUEST', 'The account query parameter is required');
        if (account !== check.accountId) return refuse(res, 403, 'FORBIDDEN', 'The token does not grant access to this account');
        accountId = check.accountId;
      }
      // The call log names the account, 429s included.
      res.locals.account = accountId;
      const cost = CREDIT_COST[req.method] ?? 5;
      const decision = await this.limiter.charge(accountId, cost);
      res.set(rateLimitHeaders(accountId, decision));
      if (!decision.granted) return refuse(res, 429, 'TOO_MANY_REQUESTS', `Rate limit exceeded: ${decision.limit} credits per window; retry after the window resets`);
      res.locals.credits = cost;
      next();
    } catch (err) {
      next(err);
    }
  }
}
