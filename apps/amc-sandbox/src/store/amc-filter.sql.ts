import type { FilterClause } from '../api/amc-query.parser';
import { AMC_RESOURCES, sortKey, type AmcResource } from './amc-resources';

export interface SqlFragment {
  sql: string;
  params: unknown[];
  errors: string[];
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Turns AMC filter clauses into a WHERE fragment over `records`. `last_modified_time` and the
 * resource's id use indexed columns; other fields compare the JSON value, as numbers when the
 * filter value is a number (AMC answers every scalar as a string). Pure.
 */
export function buildFilterSql(resource: AmcResource, filters: FilterClause[], firstParam: number): SqlFragment {
  const params: unknown[] = [];
  const errors: string[] = [];
  let sql = '';
  const next = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  for (const clause of filters) {
    const op = clause.operator === '!=' ? '<>' : clause.operator;
    let expr: string;
    if (clause.field === 'last_modified_time') {
      const at = parseAmcTime(clause.value);
      if (!at) {
        errors.push(`parameters: "${clause.value}" is not a date/time for last_modified_time`);
        continue;
      }
      expr = `last_modified ${op} ${next(at.toISOString())}::timestamptz`;
    } else if (clause.field === AMC_RESOURCES[resource]) {
      expr = `sort_key ${op} ${next(sortKey(clause.value))}`;
    } else if (NUMERIC.test(clause.value) && op !== '=' && op !== '<>') {
      expr = `(CASE WHEN data->>'${clause.field}' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (data->>'${clause.field}')::numeric END) ${op} ${next(clause.value)}::numeric`;
    } else {
      expr = `data->>'${clause.field}' ${op} ${next(clause.value)}`;
    }
    sql = sql ? `(${sql}) ${clause.includeType} ${expr}` : expr;
  }
  return { sql: sql ? `(${sql})` : '', params, errors };
}

/** Accepts ISO 8601 (`2022-12-01T14:32:16Z`), `2022-12-01 14:32:16` (taken as UTC) or a bare date. */
export function parseAmcTime(value: string): Date | null {
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return null;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) || trimmed.length === 10 ? trimmed : `${trimmed.replace(' ', 'T')}Z`;
  const at = new Date(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : withZone);
  return Number.isNaN(at.getTime()) ? null : at;
}
