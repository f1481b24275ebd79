import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { withLogContext } from './log-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it is a plain token of reasonable length; anything else gets a fresh one. */
const GIVEN_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Probes hit every few seconds: logged at debug while they answer well. */
const PROBE_PATH = /^\/(health|metrics)(\/|$)/;

/** The request's id: the caller's `x-request-id` when it is usable, else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && GIVEN_ID.test(given) ? given : randomUUID();
}

/**
 * The level of a request's line: probes debug (every few seconds, and their answer is the point);
 * 5xx error (the service failed), 4xx warn (the client's mistake, no stack), a request the client
 * gave up on warn, else info.
 */
export function requestLogLevel(path: string, status: number, err?: Error): 'error' | 'warn' | 'info' | 'debug' {
  // A probe says so through its answer (and an outage is logged once as such): not one line per probe.
  if (PROBE_PATH.test(path)) return 'debug';
  if (status >= 500) return 'error';
  if (status >= 400 || err) return 'warn';
  return 'info';
}

type Req = IncomingMessage & { id?: unknown; originalUrl?: string; route?: { path?: string }; baseUrl?: string };
type Res = ServerResponse & { locals?: Record<string, unknown> };

/** The path without its query string (a query may carry what the log must not). */
function pathOf(req: Req): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

/** The route's pattern (`/connections/:id`) when Express matched one: groups requests without their ids. */
function routeOf(req: Req): string | undefined {
  return req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
}

/** The request's line: what was asked, the answer, how long; the error only when the service failed (5xx). */
function requestLine(req: Req, res: Res, line: Record<string, unknown>): Record<string, unknown> {
  const reason = res.locals?.reason;
  return {
    method: req.method,
    route: routeOf(req),
    path: pathOf(req),
    status: res.statusCode,
    durationMs: line.durationMs,
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(res.statusCode >= 500 && !PROBE_PATH.test(pathOf(req)) && !res.locals?.outage && line.err ? { err: line.err } : {}),
  };
}

/**
 * One line per HTTP request (method, route, path, status, duration, request id; a 4xx's reason when
 * the app left one in `res.locals.reason`), the request id answered in `x-request-id`, and the
 * request's work run in a log context carrying that id. `quiet` (the sandboxes, whose every call is
 * the mesh's own traffic): all but 5xx at debug.
 */
export function requestLogging(logger: Pino, options: { quiet?: boolean } = {}): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const log = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    serializers: { req: () => undefined, res: () => undefined },
    // A store outage answered 503 is logged once as the outage; its requests are warnings.
    customLogLevel: (req, res, err) => {
      if ((res as Res).locals?.outage) return 'warn';
      const level = requestLogLevel(pathOf(req as Req), res.statusCode, err);
      return options.quiet && level !== 'error' ? 'debug' : level;
    },
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req as Req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req as Req)} ${res.statusCode}`,
    customSuccessObject: (req, res, line: Record<string, unknown>) => requestLine(req as Req, res as Res, line),
    customErrorObject: (req, res, err, line: Record<string, unknown>) => requestLine(req as Req, res as Res, line),
  });
  return (req, res, next) => {
    log(req, res);
    withLogContext({ requestId: String((req as Req).id) }, next);
  };
}
