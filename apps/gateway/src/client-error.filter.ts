import { type ArgumentsHost, Catch, HttpException, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isUnreachable, outages } from '@app/common';
import type { Response } from 'express';

/**
 * The status of a client's mistake that Express's body parsing raises outside Nest (a body past the
 * limit, bad content encoding or charset, an aborted upload): http-errors with a 4xx `status`; null
 * for anything else.
 */
export function clientErrorStatus(exception: unknown): number | null {
  if (exception instanceof HttpException || typeof exception !== 'object' || exception === null) return null;
  const { status, statusCode, expose } = exception as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 && expose === true ? code : null;
}

/** Why a 4xx was answered, as its body says it (validation messages joined). */
export function clientErrorReason(exception: HttpException): string {
  const body = exception.getResponse();
  const message = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : body;
  return Array.isArray(message) ? message.join('; ') : String(message);
}

/**
 * Answers those mistakes as Nest answers its own 4xx: a client sending too much is not the gateway
 * failing (Nest's default handler logs them as errors, stack and all). Every 4xx leaves its reason
 * in `res.locals.reason`, so the request's one log line (a warning, no stack) says why.
 * Everything else goes to Nest's handler unchanged.
 */
/**
 * Which store an unreachable-store error came from: a refused connection names the address it
 * tried (matched against the two stores' URLs); TypeORM's and pg's errors carry a driver error, a
 * connection-class code (08, 57P) or say the connection was terminated.
 */
export function storeOf(err: unknown, stores: { databaseUrl: string; redisUrl: string }): 'PostgreSQL' | 'Redis' {
  const e = err as { name?: unknown; driverError?: unknown; code?: unknown; message?: unknown; port?: unknown };
  if (typeof e?.port === 'number') {
    if (e.port === portOf(stores.databaseUrl, 5432)) return 'PostgreSQL';
    if (e.port === portOf(stores.redisUrl, 6379)) return 'Redis';
  }
  if (e?.name === 'QueryFailedError' || e?.driverError !== undefined) return 'PostgreSQL';
  if (typeof e?.code === 'string' && /^(08|57P)/.test(e.code)) return 'PostgreSQL';
  return typeof e?.message === 'string' && /terminat|postgres|database system/i.test(e.message) ? 'PostgreSQL' : 'Redis';
}

function portOf(url: string, fallback: number): number {
  try {
    return Number(new URL(url).port) || fallback;
  } catch {
    return fallback;
  }
}

@Catch()
export class ClientErrorFilter extends BaseExceptionFilter {
  constructor(
    adapter: HttpServer,
    private readonly stores: { databaseUrl: string; redisUrl: string },
  ) {
    super(adapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A store that does not answer: 503 saying so, the outage logged once (not one stack per request).
    if (!(exception instanceof HttpException) && isUnreachable(exception)) {
      const store = storeOf(exception, this.stores);
      outages.failed(store, exception);
      res.locals.reason = `${store} is unavailable`;
      res.locals.outage = true;
      res.status(503).json({ statusCode: 503, message: `${store} is unavailable right now; try again shortly` });
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      res.locals.reason = clientErrorReason(exception);
      return super.catch(exception, host);
    }
    const status = clientErrorStatus(exception);
    if (status === null) return super.catch(exception, host);
    const message = (exception as Error).message;
    res.locals.reason = message;
    res.status(status).json({ statusCode: status, message });
  }
}
