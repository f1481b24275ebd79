import type { ApiCallEvent } from '@app/contracts';
import { systemClock } from '@app/util';
import { inSpan, SPAN_ATTRIBUTES } from '@app/tracing';
import { JOOR_CREDIT_COST, observedLimitFrom, type BudgetPriority, type CreditBudget } from '@app/joor-budget';
import { itemErrorSchema, readV4Envelope, type JoorItemErrorBody } from './joor-api.schemas';
import { JoorApiError } from './joor-errors';
import { safeJson, type JoorTokenProvider } from './joor-token.provider';
import { isTransientStatus, retryDelayMs, type RetryPolicy } from './retry-policy';

export type JoorApi = 'v2' | 'v4';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JoorRequest {
  api: JoorApi;
  method: HttpMethod;
  /** Path under the API root, e.g. `/products/bulk_create`. */
  path: string;
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  /** Answers with these statuses are returned, not raised (e.g. 404 for "no such connection"). */
  accept?: number[];
  priority?: BudgetPriority;
}

export interface JoorResponse {
  status: number;
  body: unknown;
}

export interface JoorHttpOptions {
  accountId: string;
  v2Url: string;
  v4Url: string;
  v2Token: string;
  tokens: JoorTokenProvider;
  budget: CreditBudget;
  priority: BudgetPriority;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Ends the waits between calls (the credit budget's, a retry's back-off) as soon as it aborts; a call in flight is let finish. */
  signal?: AbortSignal;
  onEvent?: (event: JoorCallEvent) => void;
}

export interface JoorCallEvent extends ApiCallEvent {
  method: HttpMethod;
}

interface Failure {
  message: string;
  status: number | null;
  joorStatus?: string | null;
  transient: boolean;
  retryAfterMs: number | null;
}

/** JOOR's own words from an error body (`{errors: [{message}]}` or OAuth-style), else the status. */
export function joorMessage(body: unknown, status: number): { message: string; joorStatus: string | null } {
  const envelope = readV4Envelope(body);
  if (envelope?.errors.length) {
    const first = itemErrorSchema.safeParse(envelope.errors[0]);
    if (first.success) return { message: first.data.message || first.data.status, joorStatus: first.data.status };
  }
  const oauth = body as { error_description?: unknown; message?: unknown } | undefined;
  if (typeof oauth?.error_description === 'string') return { message: oauth.error_description, joorStatus: null };
  if (typeof oauth?.message === 'string') return { message: oauth.message, joorStatus: null };
  return { message: `HTTP ${status}`, joorStatus: null };
}

/**
 * One JOOR call: take the credits from the account's budget, send, feed the rate-limit headers
 * back, classify the answer. Transient failures are retried with backoff and jitter (a 429 waits
 * for JOOR's reset); a 401 re-authenticates once.
 */
export class JoorHttp {
  constructor(private readonly options: JoorHttpOptions) {}

  async send(request: JoorRequest): Promise<JoorResponse> {
    const { retry, budget, accountId } = this.options;
    const cost = JOOR_CREDIT_COST[request.method];
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      // Sign in before taking credits: a sign-in round trip between the grant and the call could
      // push the call past the budget's margin into the next JOOR window.
      if (request.api === 'v4') await this.options.tokens.token();
      await budget.acquire(accountId, cost, request.priority ?? this.options.priority, this.options.signal);
      const started = Date.now();
      const outcome = await this.attempt(request);
      const durationMs = Date.now() - started;
      if ('response' in outcome) {
        this.options.onEvent?.({ method: request.method, path: request.path, status: outcome.response.status, attempt, durationMs, outcome: 'ok' });
        return outcome.response;
      }
      const failure = outcome.failure;
      if (failure.status === 401 && request.api === 'v4' && !reauthenticated && outcome.token) {
        reauthenticated = true;
        await this.options.tokens.invalidate(outcome.token);
        this.options.onEvent?.({ method: request.method, path: request.path, status: 401, attempt, durationMs, outcome: 'retry', reason: 're-authenticating' });
        continue;
      }
      const last = !failure.transient || attempt >= retry.maxAttempts;
      this.options.onEvent?.({ method: request.method, path: request.path, status: failure.status, attempt, durationMs, outcome: last ? 'failed' : 'retry', reason: failure.message });
      if (last) {
        throw new JoorApiError(`JOOR ${request.method} ${request.api}${request.path} failed: ${failure.message}`, {
          httpStatus: failure.status,
          joorStatus: failure.joorStatus ?? null,
          transient: failure.transient,
          method: request.method,
          path: `/${request.api}${request.path}`,
          attempts: attempt,
          retryAfterMs: failure.retryAfterMs,
        });
      }
      await systemClock.sleep(retryDelayMs(retry, attempt, failure.retryAfterMs), this.options.signal);
    }
  }

  private url(request: JoorRequest): string {
    const root = request.api === 'v4' ? this.options.v4Url : this.options.v2Url;
    const url = new URL(`${root.replace(/\/$/, '')}${request.path}`);
    if (request.api === 'v4') url.searchParams.set('account', this.options.accountId);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    return url.toString();
  }

  private async attempt(request: JoorRequest): Promise<{ response: JoorResponse } | { failure: Failure; token?: string }> {
    let token: string | undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.api === 'v4') {
      token = await this.options.tokens.token();
      headers.authorization = `Bearer ${token}`;
      if (request.body !== undefined) headers['content-type'] = 'application/json';
    } else {
      headers.authorization = `OAuth2 ${Buffer.from(this.options.v2Token).toString('base64')}`;
      // JOOR v2 refuses any call without a Content-Type, GETs included.
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    let text: string;
    try {
      // A span per JOOR call with what it cost, for traces that show where a run's credits went.
      const attributes = { [SPAN_ATTRIBUTES.joorCredits]: JOOR_CREDIT_COST[request.method], [SPAN_ATTRIBUTES.joorAccount]: this.options.accountId, 'http.request.method': request.method };
      ({ res, text } = await inSpan(`JOOR ${request.method} /${request.api}${request.path}`, attributes, async (span) => {
        const answer = await fetch(this.url(request), {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        span.setAttribute('http.response.status_code', answer.status);
        return { res: answer, text: await answer.text() };
      }));
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return { failure: { message: timedOut ? `no answer within ${this.options.timeoutMs} ms` : 'connection failed or was reset', status: null, transient: true, retryAfterMs: null }, token };
    }
    const observed = observedLimitFrom(res.status, res.headers);
    await this.options.budget.observe(this.options.accountId, observed).catch(() => undefined);
    const body = text === '' ? undefined : safeJson(text);
    if (res.status >= 200 && res.status < 300) {
      if (body === undefined) return { failure: { message: 'JOOR answered with a malformed body', status: res.status, transient: true, retryAfterMs: null }, token };
      return { response: { status: res.status, body } };
    }
    if (request.accept?.includes(res.status)) return { response: { status: res.status, body } };
    const { message, joorStatus } = joorMessage(body, res.status);
    const retryAfterMs = res.status === 429 ? (observed.resetInMs ?? retryAfterHeader(res.headers)) : null;
    return { failure: { message, joorStatus, status: res.status, transient: isTransientStatus(res.status), retryAfterMs }, token };
  }
}

function retryAfterHeader(headers: Headers): number | null {
  const raw = headers.get('retry-after');
  return raw && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : null;
}

export function itemErrors(raw: unknown[]): JoorItemErrorBody[] {
  return raw.map((error) => {
    const parsed = itemErrorSchema.safeParse(error);
    return parsed.success ? parsed.data : { status: 'UNKNOWN', message: 'JOOR returned an unreadable error', details: {} };
  });
}
