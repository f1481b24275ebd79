import { Inject, Injectable, type NestMiddleware, type OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CallLog, splitUrl } from './call-log';
import { FaultInjector, type FaultDecision } from './fault-injector';
import type { FaultKind } from './fault-rule';
import { countRecords, mangleAnswer } from './record-mutations';
import { SANDBOX_KIT_OPTIONS, type ResolvedSandboxKitOptions } from './sandbox-kit.options';

export const SANDBOX_PREFIX = '/_sandbox';

/** The answers of the status kinds, in the sandbox's error envelope. */
const STATUS_FAULTS: Partial<Record<FaultKind, { status: number; message: string }>> = {
  '429': { status: 429, message: 'Too Many Requests (injected fault)' },
  '500': { status: 500, message: 'Internal Server Error (injected fault)' },
  '502': { status: 502, message: 'Bad Gateway (injected fault)' },
  '503': { status: 503, message: 'Service Unavailable (injected fault)' },
  '504': { status: 504, message: 'Gateway Timeout (injected fault)' },
};

/**
 * Runs before every sandbox route: records the call in the call log once the response is done,
 * and applies the fault the injector picks, if any: instead of the route (phase `before`, the
 * default), or once the route has answered, replacing that answer (phase `after`).
 * `/_sandbox/*` (and the exempt prefixes, health and metrics by default) are neither faulted nor
 * logged.
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
        faultPhase: fault?.phase ?? null,
      });
    };
    res.once('finish', record);
    res.once('close', record);

    if (!fault) return next();
    if (fault.phase === 'after') return this.applyAfter(fault, req, res, next);
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

  /** Phase `before`: the fault answers instead of the route (which does not run), except `slow` and `malformed`. */
  private apply(fault: FaultDecision, req: Request, res: Response, next: NextFunction): void {
    switch (fault.kind) {
      case '429':
      case '500':
      case '502':
      case '503':
      case '504':
        return this.sendStatusFault(res, fault);
      case 'timeout':
        return this.hold(req, res, fault.timeoutMs, () => req.socket.destroy());
      case 'reset':
        return resetConnection(req);
      case 'slow':
        return this.hold(req, res, fault.slowMs, () => next());
      case 'malformed':
        truncateResponse(res);
        return next();
      case 'mangle':
        mangleResponse(res, fault);
        return next();
    }
  }

  /**
   * Phase `after`: the route runs and does its work; what it answers is then thrown away and the
   * fault takes its place (a 5xx, no answer then a dropped connection, a reset, or the real answer
   * late). `malformed` is the same in both phases.
   */
  private applyAfter(fault: FaultDecision, req: Request, res: Response, next: NextFunction): void {
    if (fault.kind === 'malformed') {
      truncateResponse(res);
      return next();
    }
    if (fault.kind === 'mangle') {
      mangleResponse(res, fault);
      return next();
    }
    interceptAnswer(res, (body, release) => {
      release();
      switch (fault.kind) {
        case '429':
        case '500':
        case '502':
        case '503':
        case '504':
          // The route's headers (Content-Length, ETag...) describe the answer that is dropped.
          for (const name of res.getHeaderNames()) res.removeHeader(name);
          return this.sendStatusFault(res, fault);
        case 'timeout':
          return this.hold(req, res, fault.timeoutMs, () => req.socket.destroy());
        case 'reset':
          return resetConnection(req);
        case 'slow':
          return this.hold(req, res, fault.slowMs, () => res.end(body));
      }
    });
    next();
  }

  private sendStatusFault(res: Response, fault: FaultDecision): void {
    const { status, message } = STATUS_FAULTS[fault.kind]!;
    if (status === 429) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
    this.sendError(res, status, message);
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

/** Drops the connection with a TCP reset (the client sees ECONNRESET), or closes it when a reset is not possible. */
function resetConnection(req: Request): void {
  try {
    req.socket.resetAndDestroy();
  } catch {
    req.socket.destroy();
  }
}

/**
 * Holds back what the route writes: nothing reaches the client (headers included) until
 * `onEnd` gets the whole body once the route ends its answer. `release()` puts the response's
 * own write/end/writeHead back, for `onEnd` to send what it wants.
 */
function interceptAnswer(res: Response, onEnd: (body: Buffer, release: () => void) => void): void {
  const chunks: Buffer[] = [];
  const original = { write: res.write, end: res.end, writeHead: res.writeHead };
  const release = (): void => {
    res.write = original.write;
    res.end = original.end;
    res.writeHead = original.writeHead;
  };
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    chunks.push(toBuffer(chunk, encoding));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as Response['write'];
  // writeHead would commit the status and headers: keep them settable until onEnd decides.
  res.writeHead = ((statusCode: number, ...rest: unknown[]) => {
    res.statusCode = statusCode;
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as Record<string, string | number | string[]> | undefined;
    for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) res.setHeader(name, value);
    return res;
  }) as Response['writeHead'];
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, encoding));
    onEnd(Buffer.concat(chunks), release);
    return res;
  }) as Response['end'];
}

/** Lets the route answer, then changes one record of its list (a successful answer only; an error passes as it is). */
function mangleResponse(res: Response, fault: FaultDecision): void {
  interceptAnswer(res, (body, release) => {
    release();
    if (res.statusCode >= 300 || !fault.mutation) return res.end(body);
    const records = countRecords(body);
    const index = fault.record ?? Math.floor((fault.recordDraw ?? 0) * Math.max(1, records));
    const { body: mangled, applied } = mangleAnswer(body, fault.mutation, index);
    res.locals.mangled = applied;
    if (!res.headersSent) {
      res.setHeader('Content-Length', String(mangled.length));
      res.removeHeader('ETag');
    }
    res.end(mangled);
  });
}

const FALLBACK_MALFORMED = '{"data":[{"id":"1","name":"';

/**
 * Lets the route run (side effects and all, as when a real server fails half-way through a
 * reply), then answers 200 with the first half of its body: never valid JSON.
 */
function truncateResponse(res: Response): void {
  interceptAnswer(res, (body, release) => {
    release();
    let cut = body.subarray(0, Math.floor(body.length / 2));
    if (cut.length === 0 || isValidJson(cut)) cut = Buffer.from(FALLBACK_MALFORMED);
    if (!res.headersSent) {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', String(cut.length));
      res.removeHeader('ETag');
    }
    res.end(cut);
  });
}

function isValidJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
