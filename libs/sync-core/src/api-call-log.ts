import { Logger } from '@nestjs/common';
import type { ApiCallEvent } from '@app/contracts';
import { outages, type OutageTarget, type SyncMetrics } from '@app/common';
import { JOOR_CREDIT_COST } from '@app/joor-budget';
import type { JoorCallEvent } from '@app/joor-client';

/** A status that means the API is not there (not reached, or failing as a whole) rather than refusing this call. */
export function isOutageStatus(status: number | null): boolean {
  return status === null || status === 502 || status === 503 || status === 504;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Every AMC and JOOR call as a debug line (method, path, status, attempt, duration; JOOR's credits),
 * a call that finally failed as a warning without a stack, and the API's outages (not reached, or
 * 502/503/504) once at their start and once at their end (`outages`). The job's context (connection,
 * run, job) is on each line already.
 */
export class ApiCallLog {
  private static readonly amcLogger = new Logger('AMC');
  private static readonly joorLogger = new Logger('JOOR');

  static amc(baseUrl: string, metrics?: SyncMetrics): (event: ApiCallEvent) => void {
    const target: OutageTarget = `AMC ${hostOf(baseUrl)}`;
    return (event) => {
      ApiCallLog.line(ApiCallLog.amcLogger, 'AMC', event, {});
      ApiCallLog.track(target, event.outcome === 'ok', event.status, event.reason);
      metrics?.apiCall('amc', event.path, event.outcome, event.status, event.durationMs / 1000);
    };
  }

  static joor(v4BaseUrl: string, joorAccount: string, metrics?: SyncMetrics): (event: JoorCallEvent) => void {
    const target: OutageTarget = `JOOR ${hostOf(v4BaseUrl)}`;
    return (event) => {
      ApiCallLog.line(ApiCallLog.joorLogger, 'JOOR', event, { credits: JOOR_CREDIT_COST[event.method] });
      ApiCallLog.track(target, event.outcome === 'ok', event.status, event.reason);
      metrics?.apiCall('joor', event.path, event.outcome, event.status, event.durationMs / 1000);
      if (event.status === 429) metrics?.joorRateLimited(joorAccount);
    };
  }

  private static line(logger: Logger, api: string, e: ApiCallEvent, extra: Record<string, unknown>): void {
    const fields = {
      msg: `${api} ${e.method} ${e.path} ${e.status ?? 'no answer'}${e.outcome === 'ok' ? '' : ` (${e.outcome}: ${e.reason ?? ''})`}`,
      method: e.method,
      path: e.path,
      status: e.status,
      attempt: e.attempt,
      durationMs: e.durationMs,
      outcome: e.outcome,
      ...extra,
    };
    if (e.outcome === 'failed') logger.warn(fields);
    else logger.debug(fields);
  }

  private static track(target: OutageTarget, ok: boolean, status: number | null, reason: string | undefined): void {
    if (ok) outages.recovered(target);
    else if (isOutageStatus(status)) outages.failed(target, new Error(reason ?? `HTTP ${status}`));
  }
}
