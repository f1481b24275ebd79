import { BadRequestException } from '@nestjs/common';
import type { FieldError } from '../validation';

/**
 * A connection's AMC and JOOR URLs carry the brand's credentials: https only, except for the hosts
 * of CONNECTION_HTTP_HOSTS (the sandboxes). Returns one error per offending field, in the
 * validation pipe's shape.
 */
export function connectionUrlProblems(urls: Record<string, string | undefined>, httpHosts: readonly string[]): FieldError[] {
  const problems: FieldError[] = [];
  for (const [field, value] of Object.entries(urls)) {
    if (value === undefined) continue;
    const url = URL.canParse(value) ? new URL(value) : null;
    if (url?.protocol === 'https:') continue;
    if (url?.protocol === 'http:' && httpHosts.includes(url.hostname.toLowerCase())) continue;
    problems.push({ field, errors: [`${field} must use https: plain http is allowed only for the hosts in CONNECTION_HTTP_HOSTS`] });
  }
  return problems;
}

/** Throws the gateway's 400 (a plain reason and the fields) when a URL breaks the policy. */
export function assertConnectionUrls(urls: Record<string, string | undefined>, httpHosts: readonly string[]): void {
  const problems = connectionUrlProblems(urls, httpHosts);
  if (problems.length === 0) return;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => p.errors[0]).join('; '),
    fields: problems,
  });
}
