/**
 * Hostile requests for the gateway, drawn from a seed so a failure can be replayed: random and
 * boundary JSON, wrong types, bodies past the limit, unicode, path traversal, bad ids, missing and
 * wrong keys, wrong methods, broken JSON and content types. `judgeAnswer` says what is wrong with
 * an answer (a 5xx, a 4xx that does not name its problem, a secret in the body).
 */

import { Rng } from '@app/sandbox-seed';

export interface FuzzRequest {
  /** What the request tries (the row of the fuzz table it counts in). */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Sent without a valid API key: anything but a health probe must be refused. */
  unauthenticated?: boolean;
}

export interface FuzzTargets {
  apiKey: string;
  /** A connection that exists (its routes get hostile bodies and sub-paths). */
  connectionId: string;
  runId: string;
}

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 漢字 🙂',
  '\uD800',
  'a'.repeat(10_000),
  '{"$gt": ""}',
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  'NaN',
  'null',
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.1,
  [],
  {},
  [null],
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  ...WEIRD_STRINGS,
];
const BAD_IDS = ['0', '-1', 'abc', 'null', 'undefined', '00000000-0000-0000-0000-000000000000', '%2e%2e', '..', '%00', 'a'.repeat(300), '𝔘', "1'; DROP TABLE connection; --", '{id}', '[]'];
const SYNC_KINDS = ['styles', 'images', 'inventory', 'customers', 'orders'];
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'];

/** Percent-encodes what encodeURIComponent takes; a lone surrogate goes as the bytes a careless client would send. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

/** A JSON value of random shape, up to `depth` levels. */
function randomJson(d: Rng, depth: number): unknown {
  if (depth <= 0 || d.next() < 0.4) return d.pick(WEIRD_VALUES);
  if (d.next() < 0.5) return Array.from({ length: d.int(0, 4) }, () => randomJson(d, depth - 1));
  const keys = ['name', 'settings', 'amc', 'joor', 'full', 'styleNumbers', 'codes', 'token', 'baseUrl', 'inventoryPollSeconds', 'syncImages', d.pick(WEIRD_STRINGS).slice(0, 40)];
  return Object.fromEntries(Array.from({ length: d.int(0, 5) }, () => [d.pick(keys), randomJson(d, depth - 1)]));
}

/** A connection body with one field made wrong: a wrong type, a boundary value, a missing part. */
function mutatedConnection(d: Rng): unknown {
  const body: Record<string, any> = {
    name: 'fuzz',
    amc: { baseUrl: 'https://amc.example.com/api/json', token: 'fuzz-token' },
    joor: {
      v2BaseUrl: 'https://joor.example.com/v2',
      v4BaseUrl: 'https://joor.example.com/v4',
      authUrl: 'https://joor.example.com/auth/',
      accountId: '1',
      clientId: 'c',
      clientSecret: 's',
      username: 'u@example.com',
      password: 'p',
      v2Token: 't',
    },
    settings: { inventoryPollSeconds: 60 },
  };
  const paths: Array<[string, string | null]> = [
    ['name', null],
    ['amc', 'baseUrl'],
    ['amc', 'token'],
    ['joor', 'accountId'],
    ['joor', 'authUrl'],
    ['joor', 'password'],
    ['settings', 'inventoryPollSeconds'],
    ['settings', 'defaultCurrency'],
    ['settings', 'orderStartDate'],
    ['settings', 'stockField'],
    ['settings', 'syncImages'],
    ['settings', 'unknownSetting'],
  ];
  const [top, leaf] = d.pick(paths);
  const value = d.next() < 0.15 ? undefined : d.pick(WEIRD_VALUES);
  if (leaf === null) body[top] = value;
  else if (d.next() < 0.1) body[top] = d.pick(WEIRD_VALUES);
  else body[top] = { ...body[top], [leaf]: value };
  return body;
}

/** `count` hostile requests against the gateway's routes, drawn from `seed`, one at a time (large bodies are not all held at once). */
export function* fuzzRequests(seed: number, count: number, targets: FuzzTargets): Generator<FuzzRequest> {
  const d = Rng.stream(seed, 'gateway-fuzz');
  const key = { 'x-api-key': targets.apiKey };
  const json = { ...key, 'content-type': 'application/json' };
  const id = targets.connectionId;
  const generators: Array<() => FuzzRequest> = [
    () => ({ kind: 'random JSON body', method: d.pick(['POST', 'PATCH']), path: d.pick(['/connections', `/connections/${id}`]), headers: json, body: JSON.stringify(randomJson(d, 4)) }),
    () => ({ kind: 'connection with a wrong field', method: 'POST', path: '/connections', headers: json, body: JSON.stringify(mutatedConnection(d)) }),
    () => ({
      kind: 'settings with a wrong field',
      method: 'PATCH',
      path: `/connections/${id}`,
      headers: json,
      body: JSON.stringify({
        settings: {
          [d.pick(['inventoryPollSeconds', 'customerSyncMinutes', 'orderPollMinutes', 'defaultCurrency', 'stockField', 'syncImages', 'orderType', 'orderStartDate', 'x'])]: d.pick(WEIRD_VALUES),
        },
      }),
    }),
    () => ({
      kind: 'trigger with a wrong body',
      method: 'POST',
      path: `/connections/${id}/sync/${d.pick(SYNC_KINDS)}`,
      headers: json,
      body: JSON.stringify(
        d.pick([
          randomJson(d, 2),
          { full: d.pick(WEIRD_VALUES) },
          { styleNumbers: d.pick(WEIRD_VALUES) },
          { codes: d.pick(WEIRD_VALUES) },
          { styleNumbers: Array.from({ length: 2_000 }, (_, i) => `S${i}`) },
        ]),
      ),
    }),
    () => ({
      kind: 'body past the limit',
      method: d.pick(['POST', 'PATCH']),
      path: d.pick(['/connections', `/connections/${id}`, `/connections/${id}/sync/styles`]),
      headers: json,
      body: JSON.stringify({ name: 'x'.repeat(d.int(1, 30) * 100 * 1024) }),
    }),
    () => ({
      kind: 'broken JSON',
      method: 'POST',
      path: d.pick(['/connections', `/connections/${id}/sync/styles`]),
      headers: json,
      body: d.pick(['{', '{"name":', '[1,2', '{"a":1}}', 'nul', '"\\uD800"', '{"name":"\u0000"}', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) as unknown as string]),
    }),
    () => ({
      kind: 'wrong content type',
      method: 'POST',
      path: '/connections',
      headers: { ...key, 'content-type': d.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) },
      body: d.pick(['name=x', '<a/>', '--x--', JSON.stringify({ name: 'x' })]),
    }),
    () => ({
      kind: 'bad id',
      method: d.pick(['GET', 'PATCH', 'DELETE', 'POST']),
      path: d.pick([
        `/connections/${enc(d.pick(BAD_IDS))}`,
        `/runs/${enc(d.pick(BAD_IDS))}`,
        `/runs/${enc(d.pick(BAD_IDS))}/events`,
        `/connections/${enc(d.pick(BAD_IDS))}/sync/styles`,
        `/connections/${enc(d.pick(BAD_IDS))}/orders`,
        `/connections/${id}/orders/${enc(d.pick(BAD_IDS))}/retry`,
        `/connections/${id}/customers/${enc(d.pick(BAD_IDS))}`,
      ]),
      headers: json,
      body: '{}',
    }),
    () => ({
      kind: 'path traversal',
      method: 'GET',
      path: d.pick([
        '/../../etc/passwd',
        '/connections/../../etc/passwd',
        '/connections/%2e%2e/%2e%2e/etc/passwd',
        '/admin/queues/../../../etc/passwd',
        '/docs/../../package.json',
        `/connections/${id}/..%2f..%2f`,
        '/%00',
        '//connections',
      ]),
      headers: key,
    }),
    () => ({
      kind: 'query with wrong types',
      method: 'GET',
      path: d.pick([
        `/connections/${id}/runs?limit=${enc(d.pick(WEIRD_STRINGS))}`,
        `/connections/${id}/orders?state=${enc(d.pick(WEIRD_STRINGS))}&offset=-5`,
        `/connections/${id}/customers?state=${enc(d.pick(WEIRD_STRINGS))}&limit=1e9`,
        `/runs/${targets.runId}/events?after=${enc(d.pick(WEIRD_STRINGS))}`,
        `/connections?limit[]=1&limit[]=2`,
        `/connections/${id}/runs?kind[$ne]=x`,
      ]),
      headers: key,
    }),
    () => ({
      kind: 'missing or wrong key',
      unauthenticated: true,
      method: d.pick(['GET', 'POST', 'DELETE']),
      path: d.pick(['/connections', `/connections/${id}`, `/connections/${id}/sync/orders`, '/health/mesh']),
      headers: d.pick<Record<string, string>>([
        {},
        { 'x-api-key': '' },
        { 'x-api-key': targets.apiKey.slice(0, -1) },
        { 'x-api-key': `${targets.apiKey}x` },
        { 'x-api-key': 'x'.repeat(8_000) },
        { authorization: `Bearer ${targets.apiKey}` },
      ]),
      body: d.next() < 0.5 ? undefined : '{}',
    }),
    () => ({
      kind: 'wrong method',
      method: d.pick(METHODS),
      path: d.pick(['/connections', `/connections/${id}/sync/styles`, `/runs/${targets.runId}`, `/connections/${id}/schedules`, `/connections/${id}/pause`, '/health/ready', '/metrics']),
      headers: json,
      body: d.next() < 0.5 ? undefined : '{}',
    }),
    () => ({ kind: 'unicode and odd names', method: 'POST', path: '/connections', headers: json, body: JSON.stringify({ ...(mutatedConnection(d) as object), name: d.pick(WEIRD_STRINGS) }) }),
    () => ({
      kind: 'board with wrong credentials',
      method: 'GET',
      path: '/admin/queues',
      headers: d.pick<Record<string, string>>([{}, { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') }, { authorization: 'Basic !!!' }, { authorization: 'Basic ' }]),
    }),
  ];
  for (let i = 0; i < count; i++) yield d.pick(generators)();
}

export interface FuzzVerdict {
  ok: boolean;
  problem?: string;
}

/** What is wrong with an answer, if anything: a 5xx, a 4xx that does not say why, a secret echoed. */
export function judgeAnswer(req: Pick<FuzzRequest, 'method' | 'path' | 'unauthenticated'>, status: number, body: string, secrets: readonly string[]): FuzzVerdict {
  // A health probe saying the mesh is down (no sync service runs beside a lone gateway) is its answer, not a failure.
  const healthReport = req.path.startsWith('/health/') && status === 503;
  if (status >= 500 && !healthReport) return { ok: false, problem: `answered ${status}: ${body.slice(0, 200)}` };
  if (req.unauthenticated && status < 400 && !req.path.startsWith('/health/')) return { ok: false, problem: `answered ${status} without a valid API key` };
  for (const secret of secrets) if (secret && body.includes(secret)) return { ok: false, problem: `the answer carries a secret (${secret.slice(0, 4)}…)` };
  // A HEAD answer has no body to say anything in.
  if (status >= 400 && status < 500 && req.method !== 'HEAD') {
    let text: string;
    try {
      const message = (JSON.parse(body) as { message?: unknown }).message;
      text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
    } catch {
      // Bull Board's basic auth answers in plain text ("Authentication required").
      text = /^[^<{[]/.test(body.trim()) ? body : '';
    }
    if (text.trim().length < 8) return { ok: false, problem: `answered ${status} without naming the problem: ${body.slice(0, 120)}` };
  }
  return { ok: true };
}
