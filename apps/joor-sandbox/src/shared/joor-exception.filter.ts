import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { JoorHttpError } from './joor-envelope';

/** Renders every failure in JOOR's envelope: `{data: null, errors: [{status, message, details}]}`. */
@Catch()
export class JoorExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('JoorSandbox');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof JoorHttpError) {
      res
        .set(exception.headers)
        .status(exception.httpStatus)
        .json({ data: null, errors: [{ status: exception.status, message: exception.message, details: exception.details }] });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res
        .status(status)
        .json({ data: null, errors: [{ status: status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', message: Array.isArray(message) ? message.join('; ') : String(message), details: {} }] });
      return;
    }
    this.logger.error(`unhandled error: ${(exception as Error)?.message}`, (exception as Error)?.stack);
    res.status(500).json({ data: null, errors: [{ status: 'INTERNAL_ERROR', message: 'Internal server error', details: {} }] });
  }
}
