import { sandboxControlRoutes } from '@app/sandbox-kit';
import { parseEnum, parseInteger, parseNonEmpty, readEnv, type Parser } from '@app/common';

/** The JOOR sandbox's own settings (base settings come from `loadConfig('joor-sandbox')`). */
export interface JoorSandboxConfig {
  /** JOOR's documented limit: 300 credits per fixed 300 s window per account. */
  creditsPerWindow: number;
  windowSeconds: number;
  /** JOOR's documented access-token lifetime is 36000 s; tests shorten it. */
  tokenTtlSeconds: number;
  refreshTtlSeconds: number;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** The static v2 token JOOR issues to the account. */
  v2Token: string;
  /** Items allowed in one v4 bulk call. */
  bulkMax: number;
  /** Seconds before the "data team" matches a new customer by itself; 0: only `/_sandbox/connections/process`. */
  connectionDelaySeconds: number;
  /** `inline`: bulk-connection answers its job's log at once; `job`: only the job's id and status (JOOR calls it an asynchronous job). */
  connectionLog: JoorSandboxConnectionLog;
  /** Styles seeded at the first boot when the state is empty (re-seed any time with `POST /_sandbox/seed`). */
  seedStyles: number;
  seed: number;
  /** Whether asset source_urls are downloaded and checked (type by magic bytes, size). */
  fetchAssets: boolean;
  assetFetchTimeoutMs: number;
  /** Seed of the fault dice (repeatable fault tests); unset: random. */
  faultSeed: number | undefined;
  /** `/_sandbox/*` mounted (SANDBOX_CONTROL; off by default under NODE_ENV=production). */
  controlRoutes: boolean;
  /** How long a 'timeout' fault holds a request; 'slow' delays one. */
  faultTimeoutMs: number;
  faultSlowMs: number;
  /** `numeric`: ids are positive integers (our first guess); `opaque`: every id the API shows is base64 of `<Type>:<n>`, as JOOR's are. */
  idStyle: JoorSandboxIdStyle;
  /** `bare`: v2 answers plain JSON lists and numbers; `wrapped`: XML-converted JSON (`{orders: {order: [...]}}`, numbers as text). */
  v2Envelope: JoorSandboxV2Envelope;
}

export const JOOR_SANDBOX_ID_STYLES = ['numeric', 'opaque'] as const;
export type JoorSandboxIdStyle = (typeof JOOR_SANDBOX_ID_STYLES)[number];
export const JOOR_SANDBOX_V2_ENVELOPES = ['bare', 'wrapped'] as const;
export const JOOR_SANDBOX_CONNECTION_LOGS = ['inline', 'job'] as const;
export type JoorSandboxConnectionLog = (typeof JOOR_SANDBOX_CONNECTION_LOGS)[number];
export type JoorSandboxV2Envelope = (typeof JOOR_SANDBOX_V2_ENVELOPES)[number];

export const JOOR_SANDBOX_DEV_CREDENTIALS = {
  clientId: 'joor-sandbox-client',
  clientSecret: 'joor-sandbox-client-secret',
  username: 'brand@example.com',
  password: 'joor-sandbox-password',
  v2Token: 'joor-sandbox-v2-token',
} as const;

type Env = Record<string, string | undefined>;

export function loadJoorSandboxConfig(env: Env = process.env): JoorSandboxConfig {
  const read = <T>(name: string, parse: Parser<T>, fallback: string): T => readEnv(env, name, parse, fallback);
  return {
    creditsPerWindow: read('JOOR_SANDBOX_CREDITS_PER_WINDOW', parseInteger(5, 1_000_000), '300'),
    windowSeconds: read('JOOR_SANDBOX_WINDOW_SECONDS', parseInteger(1, 86_400), '300'),
    tokenTtlSeconds: read('JOOR_SANDBOX_TOKEN_TTL_SECONDS', parseInteger(1, 10_000_000), '36000'),
    // JOOR does not document the refresh lifetime; 30 days is the common default.
    refreshTtlSeconds: read('JOOR_SANDBOX_REFRESH_TTL_SECONDS', parseInteger(1, 100_000_000), '2592000'),
    clientId: read('JOOR_SANDBOX_CLIENT_ID', parseNonEmpty(), JOOR_SANDBOX_DEV_CREDENTIALS.clientId),
    clientSecret: read('JOOR_SANDBOX_CLIENT_SECRET', parseNonEmpty(), JOOR_SANDBOX_DEV_CREDENTIALS.clientSecret),
    username: read('JOOR_SANDBOX_USERNAME', parseNonEmpty(), JOOR_SANDBOX_DEV_CREDENTIALS.username),
    password: read('JOOR_SANDBOX_PASSWORD', parseNonEmpty(), JOOR_SANDBOX_DEV_CREDENTIALS.password),
    v2Token: read('JOOR_SANDBOX_V2_TOKEN', parseNonEmpty(), JOOR_SANDBOX_DEV_CREDENTIALS.v2Token),
    bulkMax: read('JOOR_SANDBOX_BULK_MAX', parseInteger(1, 10_000), '100'),
    connectionDelaySeconds: read('JOOR_SANDBOX_CONNECTION_DELAY_SECONDS', parseInteger(0, 10_000_000), '0'),
    connectionLog: read('JOOR_SANDBOX_CONNECTION_LOG', parseEnum(JOOR_SANDBOX_CONNECTION_LOGS), 'inline'),
    seedStyles: read('JOOR_SANDBOX_SEED_STYLES', parseInteger(1, 25_000), '40'),
    seed: read('JOOR_SANDBOX_SEED', parseInteger(0, 2 ** 31 - 1), '1'),
    fetchAssets: read('JOOR_SANDBOX_FETCH_ASSETS', parseEnum(['true', 'false'] as const), 'true') === 'true',
    assetFetchTimeoutMs: read('JOOR_SANDBOX_ASSET_FETCH_TIMEOUT_MS', parseInteger(100, 120_000), '5000'),
    controlRoutes: sandboxControlRoutes(env),
    faultSeed: env.JOOR_SANDBOX_FAULT_SEED ? read('JOOR_SANDBOX_FAULT_SEED', parseInteger(0, 2 ** 31 - 1), '0') : undefined,
    faultTimeoutMs: read('JOOR_SANDBOX_FAULT_TIMEOUT_MS', parseInteger(10, 600_000), '30000'),
    faultSlowMs: read('JOOR_SANDBOX_FAULT_SLOW_MS', parseInteger(0, 600_000), '2000'),
    idStyle: read('JOOR_SANDBOX_ID_STYLE', parseEnum(JOOR_SANDBOX_ID_STYLES), 'numeric'),
    v2Envelope: read('JOOR_SANDBOX_V2_ENVELOPE', parseEnum(JOOR_SANDBOX_V2_ENVELOPES), 'bare'),
  };
}
