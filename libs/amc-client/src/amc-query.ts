import type { AmcFilter } from './amc.types';

export interface AmcPageRequest {
  pageSize?: number;
  pageNumber?: number;
  lastId?: string;
}

/**
 * The query string of a GET: auth first, then AMC's bracketed filters and paging, then plain
 * `field=value` pairs (AMC's short form, e.g. `product_id=`). Pure.
 */
export function buildAmcQuery(auth: { token: string; time: number }, filters: AmcFilter[] = [], page: AmcPageRequest = {}, plain: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  params.set('token', auth.token);
  params.set('time', String(auth.time));
  filters.forEach((filter, i) => {
    params.set(`parameters[${i}][field]`, filter.field);
    params.set(`parameters[${i}][operator]`, filter.operator);
    params.set(`parameters[${i}][value]`, filter.value);
    if (filter.includeType) params.set(`parameters[${i}][include_type]`, filter.includeType);
  });
  if (page.pageSize !== undefined) params.set('pagination[page_size]', String(page.pageSize));
  if (page.pageNumber !== undefined) params.set('pagination[page_number]', String(page.pageNumber));
  if (page.lastId !== undefined) params.set('pagination[last_id]', page.lastId);
  for (const [field, value] of Object.entries(plain)) params.set(field, value);
  return params.toString();
}

/** The base URL a connection gives, with or without `/api/json`, as the root of the JSON API. */
export function amcApiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/api\/json$/.test(trimmed) ? trimmed : `${trimmed}/api/json`;
}

/** A URL with its query (which carries the token) removed, for errors and logs. */
export function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}
