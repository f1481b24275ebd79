import type { ApiCallEvent } from '@app/contracts';
import { AmcApiError } from './amc-api.error';
import { retryDelay, parseRetryAfter, type BackoffPolicy } from './amc-backoff';
import { amcApiRoot, buildAmcQuery, withoutQuery, type AmcPageRequest } from './amc-query';
import { processRateLimiter, type AmcRateLimiter } from './amc-rate-limiter';
import { amcIdField, validateAmcRecord, validateAmcRecords, type InvalidAmcRecord } from './amc-records.validator';
import type { AmcCustomer, AmcFilter, AmcOrder, AmcOrderCreate, AmcProduct, AmcProductAttribute, AmcResourceName, AmcResourceTypes, AmcSku, AmcStockUpdate } from './amc.types';

export interface AmcConnectionOptions {
  /** The account's host (`https://acme.app.apparelmagic.com`) or the sandbox's; `/api/json` optional. */
  baseUrl: string;
  token: string;
  /** Polite rate per connection; public AMC clients keep to 4-20/s. */
  requestsPerSecond?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Records per page asked for (1-1000). */
  pageSize?: number;
  /** Replaces the process-wide limiter (e.g. a RedisRateLimiter shared by every process). */
  limiter?: AmcRateLimiter;
  /** Told about every retry (for logs and metrics); never given the token. */
  onRetry?: (event: AmcRetryEvent) => void;
  /** Told about every attempt, its outcome and duration (for logs and outage tracking); never given the token. */
  onCall?: (event: AmcCallEvent) => void;
  fetch?: typeof fetch;
}

export type AmcCallEvent = ApiCallEvent;

export interface AmcRetryEvent {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

/**
 * Where the next page starts: after an id (last_id accounts) or at a page number (page_number
 * accounts). `read` is how many records a last_id read has had before it, so that AMC's
 * `total_records` can end the read without one more (empty) page; absent counts as 0, which can
 * only cost that extra page, never end a read early.
 */
export type AmcCursor = { lastId?: string; pageNumber?: number; read?: number };

export interface AmcPage<R extends AmcResourceName> {
  records: Array<AmcResourceTypes[R]>;
  invalid: InvalidAmcRecord[];
  /** total_records when the account's paging style reports it (last_id style), else null. */
  totalRecords: number | null;
}

/** What one answer said about paging: `meta.pagination` as AMC sent it (possibly absent or empty). */
export type AmcPagination = Record<string, unknown>;

export interface AmcListOptions {
  filters?: AmcFilter[];
  /** Plain `field=value` parameters (AMC's short form: `product_id`, `warehouse_id`). */
  where?: Record<string, string>;
  pageSize?: number;
  /** Resume a last_id read after this id. */
  startAfterId?: string;
}

export interface AmcListResult<R extends AmcResourceName> {
  records: Array<AmcResourceTypes[R]>;
  invalid: InvalidAmcRecord[];
}

interface Envelope {
  response: unknown[];
  meta: { pagination?: Record<string, unknown>; errors?: unknown[] };
}

// 8/s: inside the 4-20/s public clients use, leaving room for a second process on the same account.
const DEFAULT_RATE = 8;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ATTEMPTS = 5;
const DEFAULT_PAGE_SIZE = 500;
const MAX_PAGE_SIZE = 1000;
const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 60_000 };
// A guard against a server whose paging never ends (100M records at the largest page size).
const MAX_PAGES = 100_000;

type Failure = { kind: 'transient' | 'permanent'; status: number | null; amcErrors: string[]; reason: string; retryAfterMs: number | null; reached: boolean };

/**
 * The typed AMC client of one connection: auth on every call, robust paging in both of AMC's
 * styles, boundary validation, retries of transient failures, typed permanent errors, polite rate.
 */
export class AmcClient {
  private readonly root: string;
  private readonly limiter: AmcRateLimiter;
  private readonly policy: BackoffPolicy;
  private readonly fetchFn: typeof fetch;
  private readonly pageSize: number;

  constructor(private readonly options: AmcConnectionOptions) {
    this.root = amcApiRoot(options.baseUrl);
    if (!/^https?:\/\/[^/]/.test(this.root) || !URL.canParse(this.root)) throw new Error(`AMC base URL "${withoutQuery(options.baseUrl)}" is not an http(s) URL`);
    this.limiter = options.limiter ?? processRateLimiter(this.root, options.token, options.requestsPerSecond ?? DEFAULT_RATE);
    this.policy = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.fetchFn = options.fetch ?? fetch;
    this.pageSize = clampPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /**
   * One page, and the cursor of the next (null at the end). Sends page_size + last_id; when the
   * account answers in page_number style (current_page/total_pages) the next cursor is a page
   * number instead. Where the read ends is what the answer says, never the page's length: a
   * server may cap pages below the size asked for (see `nextAmcCursor`). A job can keep the
   * cursor and resume from it.
   */
  async page<R extends AmcResourceName>(resource: R, options: AmcListOptions & { cursor?: AmcCursor } = {}): Promise<AmcPage<R> & { next: AmcCursor | null }> {
    const pageSize = clampPageSize(options.pageSize ?? this.pageSize);
    const cursor: AmcCursor = options.cursor ?? (options.startAfterId ? { lastId: options.startAfterId } : {});
    const request: AmcPageRequest = { pageSize, lastId: cursor.lastId, pageNumber: cursor.pageNumber };
    const envelope = await this.call('GET', resource, { filters: options.filters, page: request, plain: options.where });
    const raw = envelope.response;
    const meta: AmcPagination = envelope.meta.pagination ?? {};
    const answered = numberOrNull(meta.current_page);
    if (cursor.pageNumber !== undefined && raw.length > 0 && answered !== null && answered < cursor.pageNumber) {
      // A server that ignores page_number would answer page 1 forever: say so instead of looping.
      throw new AmcApiError(`AMC GET ${resource}: asked for page ${cursor.pageNumber}, answered page ${answered}; paging is not advancing`, {
        status: 200,
        amcErrors: [],
        retryable: false,
        method: 'GET',
        path: resource,
        attempts: 1,
      });
    }
    const { records, invalid } = validateAmcRecords(resource, raw);
    return { records, invalid, totalRecords: numberOrNull(meta.total_records), next: nextAmcCursor(resource, raw, meta, cursor) };
  }

  /** Every page of a read, one after another (see `page`); at most MAX_PAGES (100,000) pages. */
  async *pages<R extends AmcResourceName>(resource: R, options: AmcListOptions = {}): AsyncGenerator<AmcPage<R>> {
    let cursor: AmcCursor | undefined;
    for (let n = 1; n <= MAX_PAGES; n++) {
      const { next, ...page } = await this.page(resource, { ...options, cursor });
      yield page;
      if (!next) return;
      cursor = next;
    }
    throw new AmcApiError(`AMC GET ${resource}: more than ${MAX_PAGES} pages; paging is not advancing`, {
      status: null,
      amcErrors: [],
      retryable: false,
      method: 'GET',
      path: resource,
      attempts: 0,
    });
  }

  async list<R extends AmcResourceName>(resource: R, options: AmcListOptions = {}): Promise<AmcListResult<R>> {
    const records: Array<AmcResourceTypes[R]> = [];
    const invalid: InvalidAmcRecord[] = [];
    for await (const page of this.pages(resource, options)) {
      records.push(...page.records);
      invalid.push(...page.invalid);
    }
    return { records, invalid };
  }

  /** Records changed at or after `sinceIso` (AMC's `last_modified_time >=`). */
  modifiedSince<R extends AmcResourceName>(resource: R, sinceIso: string, options: AmcListOptions = {}): Promise<AmcListResult<R>> {
    return this.list(resource, { ...options, filters: [...(options.filters ?? []), { field: 'last_modified_time', operator: '>=', value: sinceIso }] });
  }

  /** The page iterator of `modifiedSince`, for reads too large to hold at once. */
  pagesModifiedSince<R extends AmcResourceName>(resource: R, sinceIso: string, options: AmcListOptions = {}): AsyncGenerator<AmcPage<R>> {
    return this.pages(resource, { ...options, filters: [...(options.filters ?? []), { field: 'last_modified_time', operator: '>=', value: sinceIso }] });
  }

  /** One record by id; null when AMC has none. A record that fails validation raises (permanent). */
  async get<R extends AmcResourceName>(resource: R, id: string): Promise<AmcResourceTypes[R] | null> {
    let envelope: Envelope;
    try {
      envelope = await this.call('GET', `${resource}/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof AmcApiError && err.status === 404) return null;
      throw err;
    }
    if (envelope.response.length === 0) return null;
    return this.single(resource, envelope, 'GET', `${resource}/${id}`);
  }

  productAttributes(productId: string): Promise<AmcListResult<'product_attributes'>> {
    return this.list('product_attributes', { where: { product_id: productId } });
  }

  skuWarehouse(warehouseId: string, options: AmcListOptions = {}): Promise<AmcListResult<'sku_warehouse'>> {
    return this.list('sku_warehouse', { ...options, where: { ...options.where, warehouse_id: warehouseId } });
  }

  /**
   * `POST /orders`, which AMC does not make idempotent. Sent again inside the client only when
   * AMC surely did not get it (a 429, a refused connection, an unknown host). Any failure that may
   * have reached AMC (a timeout, a reset or hang-up, a cut-off or malformed body, any 5xx including
   * 502/503/504) is not repeated: it raises `AmcApiError` with `details.outcomeUnknown = true`
   * (and `retryable: true`), and the caller looks the order up by JOOR id before trying again.
   */
  async createOrder(order: AmcOrderCreate): Promise<AmcOrder> {
    const envelope = await this.call('POST', 'orders', { body: order as unknown as Record<string, unknown>, idempotent: false });
    return this.written('orders', envelope, 'POST', 'orders', false);
  }

  async findOrdersByJoorId(joorId: string): Promise<AmcOrder[]> {
    const { records, invalid } = await this.list('orders', { filters: [{ field: 'joor_id', operator: '=', value: joorId }] });
    if (invalid.length > 0) throw invalidError('orders', invalid, 'GET', 'orders');
    return records;
  }

  /** `PUT /inventory/{sku_id}` with absolute quantities (safe to repeat), in `warehouse_id` or the account's main warehouse. */
  async updateInventory(skuId: string, update: AmcStockUpdate): Promise<AmcSku> {
    const envelope = await this.call('PUT', `inventory/${encodeURIComponent(skuId)}`, { body: { ...update } });
    return this.written('inventory', envelope, 'PUT', `inventory/${skuId}`, true);
  }

  async createProduct(product: Partial<Omit<AmcProduct, 'product_id' | 'last_modified_time'>> & { style_number: string }): Promise<AmcProduct> {
    const envelope = await this.call('POST', 'products', { body: { ...product }, idempotent: false });
    return this.written('products', envelope, 'POST', 'products', false);
  }

  async updateProduct(productId: string, changes: Partial<Omit<AmcProduct, 'product_id' | 'last_modified_time'>>): Promise<AmcProduct> {
    const envelope = await this.call('PUT', `products/${encodeURIComponent(productId)}`, { body: { ...changes } });
    return this.written('products', envelope, 'PUT', `products/${productId}`, true);
  }

  async updateProductAttribute(id: string, changes: Partial<Omit<AmcProductAttribute, 'id' | 'last_modified_time'>>): Promise<AmcProductAttribute> {
    const envelope = await this.call('PUT', `product_attributes/${encodeURIComponent(id)}`, { body: { ...changes } });
    return this.written('product_attributes', envelope, 'PUT', `product_attributes/${id}`, true);
  }

  async createCustomer(customer: Partial<Omit<AmcCustomer, 'customer_id' | 'last_modified_time'>> & { customer_name: string }): Promise<AmcCustomer> {
    const envelope = await this.call('POST', 'customers', { body: { ...customer }, idempotent: false });
    return this.written('customers', envelope, 'POST', 'customers', false);
  }

  async updateCustomer(customerId: string, changes: Partial<Omit<AmcCustomer, 'customer_id' | 'last_modified_time'>>): Promise<AmcCustomer> {
    const envelope = await this.call('PUT', `customers/${encodeURIComponent(customerId)}`, { body: { ...changes } });
    return this.written('customers', envelope, 'PUT', `customers/${customerId}`, true);
  }

  /** An absolute image URL from an image ref (AMC answers absolute URLs; a bare path is taken as on the account's host). */
  imageUrl(img: string): string {
    return new URL(img, this.root.replace(/\/api\/json$/, '/')).toString();
  }

  /**
   * The record a write answered. AMC did the write (it answered 2xx), so an answer that cannot be
   * read is not AMC refusing it: a write that is safe to repeat is retried (transient); one that is
   * not (a create) has an unknown outcome, and the caller looks before doing anything else, as after
   * a lost answer. (Found by the chaos run: an order AMC had created was marked Failed on JOOR.)
   */
  private written<R extends AmcResourceName>(resource: R, envelope: Envelope, method: string, path: string, idempotent: boolean): AmcResourceTypes[R] {
    const result = validateAmcRecord(resource, envelope.response[0]);
    if (result.ok) return result.record;
    const problems = result.invalid.problems.join('; ');
    throw new AmcApiError(this.redact(`AMC ${method} /${path} did the write but answered an unreadable ${resource} record: ${problems}`), {
      status: 200,
      amcErrors: [],
      retryable: true,
      method,
      path,
      attempts: 1,
      ...(idempotent ? {} : { outcomeUnknown: true }),
    });
  }

  private single<R extends AmcResourceName>(resource: R, envelope: Envelope, method: string, path: string): AmcResourceTypes[R] {
    const result = validateAmcRecord(resource, envelope.response[0]);
    if (!result.ok) throw invalidError(resource, [result.invalid], method, path);
    return result.record;
  }

  /** One API call with auth, rate, timeout and retries; answers the envelope or throws AmcApiError. */
  private async call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    input: { filters?: AmcFilter[]; page?: AmcPageRequest; plain?: Record<string, string>; body?: Record<string, unknown>; idempotent?: boolean } = {},
  ): Promise<Envelope> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? DEFAULT_ATTEMPTS);
    const idempotent = input.idempotent ?? true;
    let failure: Failure | null = null;
    let attempts = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      attempts = attempt;
      await this.limiter.acquire();
      const time = Math.floor(Date.now() / 1000);
      const url = method === 'GET' ? `${this.root}/${path}?${buildAmcQuery({ token: this.options.token, time }, input.filters, input.page, input.plain)}` : `${this.root}/${path}`;
      const started = Date.now();
      const outcome = await this.attempt(method, url, method === 'GET' ? undefined : JSON.stringify({ ...input.body, token: this.options.token, time }));
      const durationMs = Date.now() - started;
      if ('envelope' in outcome) {
        this.options.onCall?.({ method, path, status: 200, attempt, durationMs, outcome: 'ok' });
        return outcome.envelope;
      }
      failure = outcome;
      const last =
        failure.kind === 'permanent' ||
        // A write that may have reached AMC is not repeated blindly (see createOrder).
        (!idempotent && failure.reached) ||
        (failure.retryAfterMs !== null && failure.retryAfterMs > this.policy.maxRetryAfterMs) ||
        attempt === maxAttempts;
      this.options.onCall?.({ method, path, status: failure.status, attempt, durationMs, outcome: last ? 'failed' : 'retry', reason: this.redact(failure.reason) });
      if (last) break;
      const delayMs = retryDelay(attempt, this.policy, failure.retryAfterMs, Math.random());
      this.options.onRetry?.({ method, path, attempt, delayMs, reason: this.redact(failure.reason) });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    const f = failure!;
    const amcErrors = f.amcErrors.map((e) => this.redact(e));
    const messages = amcErrors.length > 0 ? `: ${amcErrors.join('; ')}` : '';
    throw new AmcApiError(this.redact(`AMC ${method} /${path} failed (${f.reason})${messages}`), {
      status: f.status,
      amcErrors,
      retryable: f.kind === 'transient',
      method,
      path,
      attempts,
      ...(!idempotent && f.kind === 'transient' && f.reached ? { outcomeUnknown: true } : {}),
    });
  }

  /** Whatever a server or the network layer put in a message, the token does not leave the client. */
  private redact(text: string): string {
    return this.options.token ? text.split(this.options.token).join('***') : text;
  }

  private async attempt(method: string, url: string, body: string | undefined): Promise<{ envelope: Envelope } | Failure> {
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (err) {
      // A refused connection or an unknown host never reached AMC; a timeout, a reset or a hang-up may have.
      const reached = !NOT_SENT_CODES.has(networkErrorCode(err) ?? '');
      return { kind: 'transient', status: null, amcErrors: [], reason: describeNetworkError(err), retryAfterMs: null, reached };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      return { kind: 'transient', status: response.status, amcErrors: [], reason: `body cut off: ${describeNetworkError(err)}`, retryAfterMs: null, reached: true };
    }
    const parsed = parseEnvelope(text);
    const amcErrors = parsed?.meta.errors?.map(String).filter((e) => e !== '') ?? [];
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    // A 429 is AMC refusing the request: nothing was done, so even a create may be sent again.
    if (response.status === 429) return { kind: 'transient', status: 429, amcErrors, reason: 'HTTP 429 rate limited', retryAfterMs, reached: false };
    // Any 5xx (a 502/503/504 too: a proxy or load balancer may answer it after AMC did the work) may have reached AMC.
    if (response.status >= 500)
      return { kind: 'transient', status: response.status, amcErrors, reason: `HTTP ${response.status}${response.status === 503 ? ' unavailable' : ''}`, retryAfterMs, reached: true };
    if (response.status >= 400) return { kind: 'permanent', status: response.status, amcErrors, reason: `HTTP ${response.status}`, retryAfterMs: null, reached: true };
    if (!parsed) return { kind: 'transient', status: response.status, amcErrors: [], reason: 'malformed response body (not an AMC envelope)', retryAfterMs: null, reached: true };
    if (amcErrors.length > 0) return { kind: 'permanent', status: response.status, amcErrors, reason: 'AMC reported errors', retryAfterMs: null, reached: true };
    return { envelope: parsed };
  }
}

function parseEnvelope(text: string): Envelope | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object') return null;
  const candidate = body as { response?: unknown; meta?: unknown };
  if (!Array.isArray(candidate.response)) return null;
  const meta = candidate.meta && typeof candidate.meta === 'object' ? (candidate.meta as Envelope['meta']) : {};
  return { response: candidate.response, meta: { ...meta, errors: Array.isArray(meta.errors) ? meta.errors : [] } };
}

/** Network failures that happen before a request is sent: no connection was made (refused, no such host, no route, connect timed out). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The system error code under fetch's `TypeError('fetch failed')` (also inside an AggregateError of several addresses). */
function networkErrorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; errors?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const first = Array.isArray(cause?.errors) ? (cause.errors[0] as { code?: unknown } | undefined) : undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const code = networkErrorCode(err);
  return code ? `network error ${code}` : `network error: ${e?.cause?.message ?? e?.message ?? 'unknown'}`;
}

function invalidError(resource: AmcResourceName, invalid: InvalidAmcRecord[], method: string, path: string): AmcApiError {
  const problems = invalid.flatMap((i) => i.problems);
  return new AmcApiError(`AMC ${method} /${path} answered an invalid ${resource} record: ${problems.join('; ')}`, {
    status: 200,
    amcErrors: [],
    retryable: false,
    method,
    path,
    attempts: 1,
  });
}

/**
 * The stop rule: where the read goes after a page that answered `records` with `pagination`
 * (`meta.pagination`, `{}` when absent) to a request at `request`; null at the end. Pure.
 *
 * AMC may answer fewer records than the page size asked for (accounts and resources cap pages
 * lower), so a short page alone never ends a read; the answer says where the end is:
 * - an empty page ends any read;
 * - page_number style (`current_page`/`total_pages`): the end is `current_page >= total_pages`,
 *   else the next page number (without `total_pages`, on until an empty page);
 * - last_id style (`last_id`/`total_records`): the end is when the records read so far (the
 *   cursor's `read` plus this page) reach `total_records`, or when `last_id` stops advancing;
 *   the next `last_id` is `meta.pagination.last_id`, else the last record's id;
 * - no pagination meta at all: on with the last record's id, until an empty page or an id that
 *   stops advancing.
 */
export function nextAmcCursor(resource: AmcResourceName, records: unknown[], pagination: AmcPagination, request: AmcCursor = {}): AmcCursor | null {
  if (records.length === 0) return null;
  if (pagination.current_page !== undefined || pagination.total_pages !== undefined) {
    const current = numberOrNull(pagination.current_page) ?? request.pageNumber ?? 1;
    const total = numberOrNull(pagination.total_pages);
    return total !== null && current >= total ? null : { pageNumber: current + 1 };
  }
  const read = (request.read ?? 0) + records.length;
  const total = numberOrNull(pagination.total_records);
  if (total !== null && read >= total) return null;
  const last = records[records.length - 1] as Record<string, unknown> | undefined;
  const nextId = stringOrNull(pagination.last_id) ?? stringOrNull(last?.[amcIdField(resource)]);
  return !nextId || nextId === request.lastId ? null : { lastId: nextId, read };
}

function clampPageSize(size: number): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(size)));
}

function numberOrNull(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function stringOrNull(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return String(value);
}
