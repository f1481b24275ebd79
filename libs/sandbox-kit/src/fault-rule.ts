import { RECORD_MUTATIONS, type RecordMutation } from './record-mutations';

/** `malformed`: the answer cut in half (never JSON); `mangle`: one record of a list answer made wrong (record-mutations.ts). */
export const FAULT_KINDS = ['429', '500', '502', '503', '504', 'timeout', 'reset', 'slow', 'malformed', 'mangle'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * When a rule's fault strikes: `before` the route runs (the default: nothing is done, as when the
 * request never got through), or `after` it (the work is done, e.g. an order created, and then the
 * answer is lost or replaced, as when a gateway or the network fails on the way back).
 */
export const FAULT_PHASES = ['before', 'after'] as const;
export type FaultPhase = (typeof FAULT_PHASES)[number];

/** A 429 says the server refused the request, so it cannot come after the work was done. */
const BEFORE_ONLY_KINDS: readonly FaultKind[] = ['429'];

/** One rule as POSTed to /_sandbox/faults. */
export interface FaultRule {
  /** A path prefix ("/v4/products"), or a regular expression when it starts with "^" ("^/v2/order/?$"). */
  path: string;
  /** HTTP method; any when absent. */
  method?: string;
  /** When the rule fires, one of these is picked (uniformly). */
  kinds: FaultKind[];
  /** Chance that a matching request is faulted, 0..1. */
  rate: number;
  /** Stop after this many injected faults; unlimited when absent. */
  times?: number;
  /** `before` (default: the route does not run) or `after` (the route runs, then its answer is replaced). */
  phase?: FaultPhase;
  /** For `mangle`: the ways a record is made wrong, one picked per fault (every one when absent). */
  mutations?: RecordMutation[];
  /** For `mangle`: which record of the list (0 = the first); a random one when absent. */
  record?: number;
}

/** The whole fault set-up; a POST replaces the previous one. */
export interface FaultConfig {
  rules: FaultRule[];
  seed?: number;
  timeoutMs?: number;
  slowMs?: number;
  retryAfterSeconds?: number;
}

const RULE_KEYS = new Set(['path', 'method', 'kinds', 'rate', 'times', 'phase', 'mutations', 'record']);
const CONFIG_KEYS = new Set(['rules', 'seed', 'timeoutMs', 'slowMs', 'retryAfterSeconds']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Checks a POST body: either a bare array of rules or `{ rules, seed?, timeoutMs?, slowMs?,
 * retryAfterSeconds? }`. Returns every problem at once, so a test author fixes them in one go.
 */
export function parseFaultConfig(body: unknown): { config?: FaultConfig; problems: string[] } {
  const problems: string[] = [];
  const raw: Record<string, unknown> | undefined = Array.isArray(body) ? { rules: body } : isObject(body) ? body : undefined;
  if (!raw) return { problems: ['body must be a JSON array of rules or an object with "rules"'] };
  for (const key of Object.keys(raw)) if (!CONFIG_KEYS.has(key)) problems.push(`unknown field "${key}"`);
  if (!Array.isArray(raw.rules)) problems.push('"rules" must be an array');
  const wholeNumber = (name: string, max: number): number | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) problems.push(`"${name}" must be an integer from 0 to ${max}`);
    return value as number;
  };
  const config: FaultConfig = {
    rules: [],
    seed: wholeNumber('seed', 0xffffffff),
    timeoutMs: wholeNumber('timeoutMs', 600_000),
    slowMs: wholeNumber('slowMs', 600_000),
    retryAfterSeconds: wholeNumber('retryAfterSeconds', 3_600),
  };
  (Array.isArray(raw.rules) ? raw.rules : []).forEach((rule: unknown, i: number) => {
    const at = `rules[${i}]`;
    if (!isObject(rule)) return problems.push(`${at} must be an object`);
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) problems.push(`${at}: unknown field "${key}"`);
    const { path, method, kinds, rate, times, phase, mutations, record } = rule;
    if (typeof path !== 'string' || path === '') problems.push(`${at}.path must be a non-empty string`);
    else if (path.startsWith('^')) {
      try {
        new RegExp(path);
      } catch {
        problems.push(`${at}.path is not a valid regular expression`);
      }
    } else if (!path.startsWith('/')) problems.push(`${at}.path must start with "/" (a prefix) or "^" (a regular expression)`);
    if (method !== undefined && (typeof method !== 'string' || !METHODS.has(method.toUpperCase()))) problems.push(`${at}.method must be one of ${[...METHODS].join(', ')}`);
    if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !(FAULT_KINDS as readonly unknown[]).includes(k)))
      problems.push(`${at}.kinds must be a non-empty array of ${FAULT_KINDS.join(', ')}`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) problems.push(`${at}.rate must be a number from 0 to 1`);
    if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) problems.push(`${at}.times must be a positive integer`);
    if (phase !== undefined && !(FAULT_PHASES as readonly unknown[]).includes(phase)) problems.push(`${at}.phase must be one of ${FAULT_PHASES.join(', ')}`);
    else if (phase === 'after' && Array.isArray(kinds)) {
      for (const kind of kinds.filter((k) => BEFORE_ONLY_KINDS.includes(k as FaultKind))) problems.push(`${at}.kinds: ${kind} cannot be an "after" fault (it says the request was refused)`);
    }
    if (mutations !== undefined && (!Array.isArray(mutations) || mutations.length === 0 || mutations.some((m) => !(RECORD_MUTATIONS as readonly unknown[]).includes(m))))
      problems.push(`${at}.mutations must be a non-empty array of ${RECORD_MUTATIONS.join(', ')}`);
    if (record !== undefined && (typeof record !== 'number' || !Number.isInteger(record) || record < 0)) problems.push(`${at}.record must be an integer from 0`);
    config.rules.push({
      path: path as string,
      ...(method !== undefined ? { method: (method as string).toUpperCase() } : {}),
      kinds: kinds as FaultKind[],
      rate: rate as number,
      ...(times !== undefined ? { times: times as number } : {}),
      ...(phase !== undefined ? { phase: phase as FaultPhase } : {}),
      ...(mutations !== undefined ? { mutations: mutations as RecordMutation[] } : {}),
      ...(record !== undefined ? { record: record as number } : {}),
    });
  });
  return problems.length > 0 ? { problems } : { config: dropUndefined(config), problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dropUndefined(config: FaultConfig): FaultConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as unknown as FaultConfig;
}
