import type { LoggerService } from '@nestjs/common';
import type { LogLevelName } from '../config/app-config';
import { redact, redactText } from './redact';

const RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Nest's boot chatter (one line per module and route) is debug detail, not news. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

export type LogSink = (line: string) => void;

/**
 * One JSON object per line on stdout, secrets redacted. Nest calls it as
 * `log(message, context)` and `error(message, stack, context)`.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly level: LogLevelName = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
  ) {}

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
    if (RANK[level] < RANK[this.level]) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, service: this.service };
    if (context) entry.context = context;
    if (message instanceof Error) {
      entry.msg = redactText(message.message);
      entry.err = redact(message);
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, redact(message) as object);
    } else {
      entry.msg = redactText(String(message));
    }
    for (const param of params) {
      if (typeof param === 'string' && level === 'error') entry.stack = redactText(param);
      else if (param !== undefined) entry.detail = redact(param);
    }
    this.sink(JSON.stringify(entry));
  }
}
