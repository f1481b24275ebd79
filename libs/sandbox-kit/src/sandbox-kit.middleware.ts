import { Inject, Injectable, type NestMiddleware, type OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CallLog, splitUrl } from './call-log';
import { FaultInjector, type FaultDecision } from './fault-injector';
import { SANDBOX_KIT_OPTIONS, type ResolvedSandboxKitOptions } from './sandbox-kit.options';

export const SANDBOX_PREFIX = '/_sandbox';

/**
 * Runs before every sandbox route: records the call in the call log once the response is done,
 * and applies the fault the injector picks, if any. `/_sandbox/*` (and the exempt prefixes,
 * health and metrics by default) are neither faulted nor logged.
 */
@Injectable()
export class SandboxKitMiddleware implements NestMiddleware, OnModuleDestroy {
  /** Requests held by 'timeout' or 'slow', released or destroyed when the app closes. */
  private readonly held = new Map<NodeJS.Timeout, Request>();

  constructor(
    private readonly faults: FaultInjector,
    private readonly calls: CallLog,
    @Inject(SANDBOX_KIT_OPTIONS) private readonly options: ResolvedSandboxKitOptions,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const { path, query } = splitUrl(req.originalUrl ?? req.url);
    if (this.isExempt(path)) return next();

    const arrived = new Date();
    const started = process.hrtime.bigint();
    const fault = this.faults.decide(req.method, path);
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      this.calls.record({
        at: arrived.toISOString(),
        method: req.method,
        path,
        query,
        status: res.writableFinished ? res.statusCode : 0,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        credits: typeof res.locals.credits === 'number' ? res.locals.credits : 0,
        account: typeof res.locals.account === 'string' ? res.locals.account : null,
        fault: fault?.kind ?? null,
      });
    };
    res.once('finish', record);
    res.once('close', record);

    if (!fault) return next();
    this.apply(fault, req, res, next);
  }

  onModuleDestroy(): void {
    // A held request would keep the HTTP server (and a test's Jest run) from closing.
    for (const [timer, req] of this.held) {
      clearTimeout(timer);
      req.socket.destroy();
    }
    this.held.clear();
  }

  private apply(fault: FaultDecision, req: Request, res: Response, next: NextFunction): void {
    switch (fault.kind) {
      case '429':
        res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        return this.sendError(res, 429, 'Too Many Requests (injected fault)');
      case '500':
        return this.sendError(res, 500, 'Internal Server Error (injected fault)');
      case '503':
        return this.sendError(res, 503, 'Service Unavailable (injected fault)');
      case 'timeout':
        return this.hold(req, res, fault.timeoutMs, () => req.socket.destroy());
      case 'slow':
        return this.hold(req, res, fault.slowMs, () => next());
      case 'malformed':
        truncateResponse(res);
        return next();
    }
  }

  private hold(req: Request, res: Response, ms: number, then: () => void): void {
    const timer = setTimeout(() => {
      this.held.delete(timer);
      if (!res.writableEnded && !req.socket.destroyed) then();
    }, ms);
    this.held.set(timer, req);
    res.once('close', () => {
      clearTimeout(timer);
      this.held.delete(timer);
    });
  }

  private sendError(res: Response, status: number, message: string): void {
    res.status(status).setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(this.options.errorBody(status, message)));
  }

  private isExempt(path: string): boolean {
    return [SANDBOX_PREFIX, ...this.options.exemptPrefixes].some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`));
  }
}

const FALLBACK_MALFORMED = '{"data":[{"id":"1","name":"';

/**
 * Lets the route run (side effects and all, as when a real server fails half-way through a
 * reply), then answers 200 with the first half of its body: never valid JSON.
 */
function truncateResponse(res: Response): void {
  const chunks: Buffer[] = [];
  const originalEnd = res.end.bind(res) as (chunk?: unknown) => Response;
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
    Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    chunks.push(toBuffer(chunk, encoding));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as Response['write'];
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, encoding));
    const body = Buffer.concat(chunks);
    let cut = body.subarray(0, Math.floor(body.length / 2));
    if (cut.length === 0 || isValidJson(cut)) cut = Buffer.from(FALLBACK_MALFORMED);
    if (!res.headersSent) {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', String(cut.length));
      res.removeHeader('ETag');
    }
    return originalEnd(cut);
  }) as Response['end'];
}

function isValidJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
