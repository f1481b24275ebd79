import { type ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
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

/**
 * Answers those mistakes as Nest answers its own 4xx, logged as a warning without a stack: a client
 * sending too much is not the gateway failing (Nest's default handler logs them as errors, stack and all).
 * Everything else goes to Nest's handler unchanged.
 */
@Catch()
export class ClientErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HTTP');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const status = clientErrorStatus(exception);
    if (status === null) return super.catch(exception, host);
    const message = (exception as Error).message;
    this.logger.warn(`refused a request: ${status} ${message}`);
    host.switchToHttp().getResponse<Response>().status(status).json({ statusCode: status, message });
  }
}
