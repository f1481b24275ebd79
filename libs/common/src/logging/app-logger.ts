import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevelName } from '../config/app-config';
import { currentLogContext } from './log-context';
import { redact, redactText } from './redact';

/** `json`: one object per line (production, log shippers); `pretty`: one readable line each (development). */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogSink = (line: string) => void;

export interface AppLoggerOptions {
  service: string;
  level?: LogLevelName;
  format?: LogFormat;
  /** Where JSON lines go instead of stdout (tests read them). */
  sink?: LogSink;
}

/** Nest's boot chatter (one line per module and route) is debug detail, not news. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/**
 * The process's pino logger: `time` (ISO), `level` (its name), `service`, `msg`; the fields of the
 * work running now (request id; connection, run, job, queue and job name while a job runs) on every
 * line through `mixin`; secrets masked by key and scrubbed from text by pattern (`redact`), in the
 * message and in every field, whoever logs it (Nest, pino-http, a call site).
 */
export function createPinoLogger(options: AppLoggerOptions): Pino {
  const format = options.sink ? 'json' : (options.format ?? 'json');
  const stream: DestinationStream = options.sink
    ? { write: (line: string) => options.sink!(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : format === 'pretty'
      ? pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', messageFormat: `[${options.service}] {msg}`, singleLine: true })
      : pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label === 'fatal' ? 'error' : label === 'trace' ? 'debug' : label }),
        log: (object) => redact(object) as Record<string, unknown>,
      },
      // A request's own line is bound to its id already (pino-http): not twice.
      mixin: (_fields, _level, logger) => {
        const { requestId, ...rest } = currentLogContext();
        return requestId && !('requestId' in logger.bindings()) ? { requestId, ...rest } : rest;
      },
      hooks: {
        // A message given as text (the first string argument) is scrubbed too.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>;
          return method.apply(this, scrubbed);
        },
      },
    },
    stream,
  );
}

/**
 * Nest's logger on pino (`app.useLogger`, `new Logger(context)` everywhere). Nest calls
 * `log(message, context)` and `error(message, stack, context)`; an object message becomes the
 * line's fields, an Error its `err`.
 */
export class AppLogger implements LoggerService {
  readonly pino: Pino;

  constructor(options: AppLoggerOptions | Pino) {
    this.pino = 'service' in options ? createPinoLogger(options) : options;
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(requested: LogLevelName, message: unknown, rest: unknown[]): void {
    const params = [...rest];
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const level = requested === 'info' && context && CHATTY_CONTEXTS.has(context) ? 'debug' : requested;
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    let msg: string | undefined;
    if (message instanceof Error) {
      msg = message.message;
      fields.err = message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      if (typeof fields.msg === 'string') msg = fields.msg as string;
      delete fields.msg;
    } else {
      msg = String(message);
    }
    for (const param of params) {
      if (typeof param === 'string' && level === 'error') fields.stack = param;
      else if (param !== undefined) fields.detail = param;
    }
    this.pino[level](fields, msg);
  }
}
