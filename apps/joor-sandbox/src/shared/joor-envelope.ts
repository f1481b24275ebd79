/** JOOR's response shapes and the checks every v4 bulk call applies. Pure: no Nest, no SQL. */

export interface JoorItemError {
  status: 'DUPLICATED' | 'INVALID' | 'NOT_FOUND' | 'FORBIDDEN';
  message: string;
  details: Record<string, unknown>;
}

export interface JoorEnvelope<T> {
  data: T;
  errors: Array<{ status: string; message: string; details?: Record<string, unknown> }>;
  meta?: { total: number; limit: number; offset: number };
}

/** A whole-request failure, rendered as `{data: null, errors: [...]}` with `httpStatus`. */
export class JoorHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type FieldKind = 'string' | 'integer' | 'decimal' | 'array' | 'object' | 'boolean' | 'id' | 'date';

export interface FieldRule {
  field: string;
  kind: FieldKind;
  required?: boolean;
  /** Longest string allowed (JOOR's documented field limits). */
  max?: number;
  oneOf?: readonly string[];
}

const DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The first problem with one item, or null. */
export function checkItem(item: unknown, rules: readonly FieldRule[]): { field: string; message: string } | null {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { field: '', message: 'item must be an object' };
  const record = item as Record<string, unknown>;
  for (const rule of rules) {
    const value = record[rule.field];
    if (value === undefined || value === null) {
      if (rule.required) return { field: rule.field, message: `${rule.field} is required` };
      continue;
    }
    const problem = checkValue(value, rule);
    if (problem) return { field: rule.field, message: `${rule.field} ${problem}` };
  }
  return null;
}

function checkValue(value: unknown, rule: FieldRule): string | null {
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (rule.required && value.trim() === '') return 'must not be empty';
      if (rule.max !== undefined && value.length > rule.max) return `is longer than ${rule.max} characters`;
      if (rule.oneOf && !rule.oneOf.includes(value)) return `must be one of ${rule.oneOf.join(', ')}`;
      return null;
    case 'integer':
      return Number.isInteger(value) ? null : 'must be an integer';
    case 'decimal':
      return typeof value === 'string' && DECIMAL.test(value) ? null : 'must be a decimal string with at most 2 decimals, e.g. "100.00"';
    case 'array':
      return Array.isArray(value) ? null : 'must be an array';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? null : 'must be an object';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be a boolean';
    case 'id':
      return toId(value) === null ? 'must be a JOOR id' : null;
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'must be a date YYYY-MM-DD';
  }
}

/** The store's ids are positive integers, accepted as numbers or digit strings (in the opaque dialect the API edge decodes JOOR-style ids to these first). */
export function toId(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The items of a bulk call: an array of 1..max entries, else the whole call is refused. */
export function bulkItems(body: unknown, max: number): unknown[] {
  if (!Array.isArray(body)) throw new JoorHttpError(400, 'INVALID_REQUEST', 'The request body must be a JSON array of items');
  if (body.length === 0) throw new JoorHttpError(400, 'INVALID_REQUEST', 'The request body holds no items');
  if (body.length > max) throw new JoorHttpError(400, 'BULK_LIMIT_EXCEEDED', `At most ${max} items per bulk request; got ${body.length}`, { max, received: body.length });
  return body;
}

/** Comma-separated ids from a query string (`?ids=1,2,3`). */
export function idList(raw: unknown, name: string, max = 500): number[] | null {
  if (raw === undefined || raw === '') return null;
  const parts = String(raw)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const ids = parts.map(toId);
  if (ids.some((id) => id === null)) throw new JoorHttpError(400, 'INVALID_REQUEST', `${name} must be a comma-separated list of ids`);
  if (ids.length > max) throw new JoorHttpError(400, 'INVALID_REQUEST', `${name} may list at most ${max} ids`);
  return ids as number[];
}

export function stringList(raw: unknown): string[] | null {
  if (raw === undefined || raw === '') return null;
  return String(raw)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** v4 list paging: `limit` (default 100, max 1000) and `offset`. */
export function paging(query: Record<string, unknown>): { limit: number; offset: number } {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new JoorHttpError(400, 'INVALID_REQUEST', 'limit must be between 1 and 1000');
  if (!Number.isInteger(offset) || offset < 0) throw new JoorHttpError(400, 'INVALID_REQUEST', 'offset must be 0 or more');
  return { limit, offset };
}

export function itemError(status: JoorItemError['status'], index: number, message: string, details: Record<string, unknown> = {}): JoorItemError {
  return { status, message, details: { index, ...details } };
}

/** Collects a bulk call's outcome: created/updated records in request order, and per-item errors. */
export class BulkOutcome<T> {
  private readonly ok = new Map<number, T>();
  readonly errors: JoorItemError[] = [];

  succeed(index: number, record: T): void {
    this.ok.set(index, record);
  }

  fail(error: JoorItemError): void {
    this.errors.push(error);
  }

  failed(index: number): boolean {
    return this.errors.some((error) => error.details.index === index);
  }

  envelope(): JoorEnvelope<T[]> {
    const data = [...this.ok.entries()].sort(([a], [b]) => a - b).map(([, record]) => record);
    const errors = [...this.errors].sort((a, b) => (a.details.index as number) - (b.details.index as number));
    return { data, errors };
  }
}
