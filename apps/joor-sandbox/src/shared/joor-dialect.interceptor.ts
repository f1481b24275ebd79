import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { decodeBodyIds, decodeQueryIds, encodeIds, wrapV2 } from './joor-dialect';

/**
 * The API edge of the /v4 and /v2 controllers: decodes the ids of what comes in and encodes the
 * ids (and, for v2, the envelope) of what goes out, in the dialect the settings chose. In the
 * default dialect (numeric ids, bare v2) it changes nothing. The `/_sandbox/*` routes never pass
 * here: they stay internal and numeric in every dialect.
 */
@Injectable()
export class JoorDialectInterceptor implements NestInterceptor {
  constructor(@Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const path = req.path;
    const opaque = this.config.idStyle === 'opaque';
    const wrapped = this.config.v2Envelope === 'wrapped' && path.startsWith('/v2/');
    if (opaque) {
      // Express 5 parses `req.query` on every read: the decoded copy shadows the getter for this request.
      Object.defineProperty(req, 'query', { value: decodeQueryIds(path, req.query as Record<string, unknown>), configurable: true, enumerable: true, writable: true });
      if (req.body !== undefined) req.body = decodeBodyIds(path, req.body);
    }
    if (!opaque && !wrapped) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        const encoded = opaque ? encodeIds(path, body) : body;
        return wrapped ? wrapV2(path, encoded) : encoded;
      }),
    );
  }
}
