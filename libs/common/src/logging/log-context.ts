import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written in a unit of work carries without its call sites passing it: the
 * HTTP request's id, and while a job runs its connection, run, job, queue and job name.
 */
export interface LogContext {
  requestId?: string;
  connectionId?: string;
  runId?: string;
  jobId?: string;
  queue?: string;
  jobName?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to the current one (inner values win); everything it awaits sees it. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const merged = { ...storage.getStore(), ...definedOnly(context) };
  return storage.run(merged, fn);
}

/** Runs `fn` outside any context: for what belongs to the process, not to the request or job that happened to meet it. */
export function withoutLogContext<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The context of the work running now ({} outside any). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

function definedOnly(context: LogContext): LogContext {
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined && value !== null && value !== '')) as LogContext;
}
