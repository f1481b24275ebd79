/** Reads AMC's bracketed query parameters (`parameters[0][field]`, `pagination[page_size]`). Pure. */

export const FILTER_OPERATORS = ['=', '!=', '>', '>=', '<', '<='] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterClause {
  field: string;
  operator: FilterOperator;
  value: string;
  /** How this clause joins the ones before it. */
  includeType: 'AND' | 'OR';
}

export interface PagingRequest {
  pageSize?: number;
  pageNumber?: number;
  lastId?: string;
}

export interface ParsedQuery {
  filters: FilterClause[];
  paging: PagingRequest;
  token?: string;
  time?: string;
  errors: string[];
}

const FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const RESERVED = new Set(['token', 'time']);

/** `source` is either a query string's pairs or a JSON body flattened the same way. */
export function parseAmcQuery(pairs: Iterable<[string, string]>): ParsedQuery {
  const clauses = new Map<number, Partial<Record<'field' | 'operator' | 'value' | 'include_type', string>>>();
  const plain: Array<[string, string]> = [];
  const paging: PagingRequest = {};
  const errors: string[] = [];
  let token: string | undefined;
  let time: string | undefined;

  for (const [key, value] of pairs) {
    const param = /^parameters\[(\d{1,3})\]\[(field|operator|value|include_type)\]$/.exec(key);
    if (param) {
      const index = Number(param[1]);
      const clause = clauses.get(index) ?? {};
      clause[param[2] as 'field'] = value;
      clauses.set(index, clause);
      continue;
    }
    const page = /^pagination\[(page_size|page_number|last_id)\]$/.exec(key);
    if (page) {
      if (page[1] === 'last_id') {
        if (value !== '') paging.lastId = value;
        continue;
      }
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1) {
        errors.push(`pagination[${page[1]}] must be a positive whole number`);
        continue;
      }
      if (page[1] === 'page_size') paging.pageSize = n;
      else paging.pageNumber = n;
      continue;
    }
    if (key === 'token') token = value;
    else if (key === 'time') time = value;
    else if (!RESERVED.has(key) && FIELD.test(key)) plain.push([key, value]);
  }

  const filters: FilterClause[] = [];
  for (const index of [...clauses.keys()].sort((a, b) => a - b)) {
    const clause = clauses.get(index)!;
    if (!clause.field || !FIELD.test(clause.field)) {
      errors.push(`parameters[${index}][field] is missing or not a field name`);
      continue;
    }
    const operator = (clause.operator ?? '=') as FilterOperator;
    if (!FILTER_OPERATORS.includes(operator)) {
      errors.push(`parameters[${index}][operator] "${clause.operator}" is not one of ${FILTER_OPERATORS.join(' ')}`);
      continue;
    }
    const includeType = (clause.include_type ?? 'AND').toUpperCase();
    if (includeType !== 'AND' && includeType !== 'OR') {
      errors.push(`parameters[${index}][include_type] must be AND or OR`);
      continue;
    }
    filters.push({ field: clause.field, operator, value: clause.value ?? '', includeType });
  }
  // Plain `?product_id=12` style parameters are equality filters (AMC's short form).
  for (const [field, value] of plain) filters.push({ field, operator: '=', value, includeType: 'AND' });
  return { filters, paging, token, time, errors };
}

/** Flattens a JSON body (`{pagination:{page_size:10}}`) into the bracketed pairs a query string would carry. */
export function flattenBody(body: unknown, prefix = ''): Array<[string, string]> {
  if (body === null || body === undefined) return [];
  if (typeof body !== 'object') return prefix ? [[prefix, String(body)]] : [];
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value !== null && typeof value === 'object') out.push(...flattenBody(value, name));
    else if (value !== undefined && value !== null) out.push([name, String(value)]);
  }
  return out;
}
