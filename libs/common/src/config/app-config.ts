import { LOG_FORMATS, type LogFormat } from '../logging/app-logger';
import { ConfigError, type ConfigIssue } from './config-error';
import { parseEnum, parseHostList, parseInteger, parseKey256, parseNonEmpty, parseQueuePrefix, parseUrl, type Parser } from './env-parsers';
import { SERVICE_PORTS, type ServiceName } from './services';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface GatewayConfig {
  apiKey: string;
  bullBoardUser: string;
  bullBoardPassword: string;
  meshTimeoutMs: number;
  /** How often the gateway probes the mesh by itself (the result `GET /health/mesh` serves); 0: never. */
  meshProbeIntervalMs: number;
  /** How long deleting a connection waits for its running runs to stop before its rows go anyway. */
  connectionStopTimeoutMs: number;
  /**
   * The hosts a connection's AMC and JOOR URLs may name with plain http; every other URL must be
   * https, so an API key cannot send a brand's credentials to an arbitrary address in clear text.
   */
  connectionHttpHosts: string[];
}

/** The JOOR credit budget: JOOR's limit per account and how closely we follow it (see libs/joor-budget). */
export interface JoorBudgetConfig {
  creditsPerWindow: number;
  windowMs: number;
  /** Unset: the budget's defaults, scaled to the window. */
  safetyCredits?: number;
  marginMs?: number;
  reserveReleaseMs?: number;
  resetPrecisionMs?: number;
}

export interface AppConfig {
  service: ServiceName;
  nodeEnv: NodeEnv;
  port: number;
  redisUrl: string;
  databaseUrl: string;
  queuePrefix: string;
  secretsKey: Buffer;
  logLevel: LogLevelName;
  /** `json` (production's default) or `pretty` (readable lines, everywhere else). */
  logFormat: LogFormat;
  healthTimeoutMs: number;
  shutdownTimeoutMs: number;
  workerConcurrency: number | null;
  /** BullMQ's job lock and stalled-job check: a job whose process died is given back after at most about twice this. */
  workerLockMs: number;
  /** Polite rate of AMC calls per connection. */
  amcRequestsPerSecond: number;
  joorBudget: JoorBudgetConfig;
  gateway: GatewayConfig;
}

/**
 * Development defaults: safe on a developer's machine, refused in production, where every
 * variable marked `required in production` must be set to a real value.
 */
export const DEV_DEFAULTS = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/amc_joor',
  GATEWAY_API_KEY: 'dev-api-key-change-me',
  BULL_BOARD_USER: 'admin',
  BULL_BOARD_PASSWORD: 'dev-board-password',
  SECRETS_ENCRYPTION_KEY: '6465762d6f6e6c792d6b65792d2d6e657665722d7573652d696e2d70726f6421',
} as const;

interface VarSpec<T> {
  parse: Parser<T>;
  /** Used when unset; `undefined` means the variable is always required. */
  fallback?: string;
  /** Used instead of `fallback` when unset and NODE_ENV=production. */
  productionFallback?: string;
  /** Must be set explicitly (and differ from the dev default) when NODE_ENV=production. */
  requiredInProduction?: boolean;
  /** What else production asks of the value: the problem, or null. */
  productionRule?: (raw: string) => string | null;
  /** Only this service reads it. */
  only?: ServiceName;
}

/** Every environment variable the services read, in one table (the README mirrors it). */
export const ENV_SPEC = {
  NODE_ENV: { parse: parseEnum(NODE_ENVS), fallback: 'development' } as VarSpec<NodeEnv>,
  PORT: { parse: parseInteger(0, 65535) } as VarSpec<number>,
  REDIS_URL: { parse: parseUrl(['redis', 'rediss']), fallback: DEV_DEFAULTS.REDIS_URL, requiredInProduction: true, productionRule: redisPasswordRule } as VarSpec<string>,
  DATABASE_URL: { parse: parseUrl(['postgres', 'postgresql']), fallback: DEV_DEFAULTS.DATABASE_URL, requiredInProduction: true } as VarSpec<string>,
  QUEUE_PREFIX: { parse: parseQueuePrefix, fallback: 'amcjoor' } as VarSpec<string>,
  SECRETS_ENCRYPTION_KEY: { parse: parseKey256, fallback: DEV_DEFAULTS.SECRETS_ENCRYPTION_KEY, requiredInProduction: true } as VarSpec<Buffer>,
  LOG_LEVEL: { parse: parseEnum(LOG_LEVELS), fallback: 'info' } as VarSpec<LogLevelName>,
  // No fallback: JSON in production, readable lines elsewhere.
  LOG_FORMAT: { parse: parseEnum(LOG_FORMATS) } as VarSpec<LogFormat>,
  HEALTH_CHECK_TIMEOUT_MS: { parse: parseInteger(50, 30_000), fallback: '1500' } as VarSpec<number>,
  SHUTDOWN_TIMEOUT_MS: { parse: parseInteger(0, 600_000), fallback: '25000' } as VarSpec<number>,
  WORKER_CONCURRENCY: { parse: parseInteger(1, 100) } as VarSpec<number>,
  WORKER_LOCK_MS: { parse: parseInteger(5_000, 600_000), fallback: '30000' } as VarSpec<number>,
  AMC_REQUESTS_PER_SECOND: { parse: parseInteger(1, 50), fallback: '8' } as VarSpec<number>,
  JOOR_CREDITS_PER_WINDOW: { parse: parseInteger(10, 1_000_000), fallback: '300' } as VarSpec<number>,
  JOOR_CREDIT_WINDOW_SECONDS: { parse: parseInteger(1, 86_400), fallback: '300' } as VarSpec<number>,
  JOOR_CREDIT_SAFETY: { parse: parseInteger(0, 1_000) } as VarSpec<number>,
  JOOR_CREDIT_MARGIN_MS: { parse: parseInteger(0, 60_000) } as VarSpec<number>,
  JOOR_CREDIT_RESERVE_RELEASE_MS: { parse: parseInteger(0, 600_000) } as VarSpec<number>,
  JOOR_RATE_RESET_PRECISION_MS: { parse: parseInteger(0, 60_000) } as VarSpec<number>,
  GATEWAY_API_KEY: { parse: parseNonEmpty(16), fallback: DEV_DEFAULTS.GATEWAY_API_KEY, requiredInProduction: true, only: 'gateway' } as VarSpec<string>,
  BULL_BOARD_USER: { parse: parseNonEmpty(), fallback: DEV_DEFAULTS.BULL_BOARD_USER, requiredInProduction: true, only: 'gateway' } as VarSpec<string>,
  BULL_BOARD_PASSWORD: { parse: parseNonEmpty(12), fallback: DEV_DEFAULTS.BULL_BOARD_PASSWORD, requiredInProduction: true, only: 'gateway' } as VarSpec<string>,
  MESH_CANARY_TIMEOUT_MS: { parse: parseInteger(100, 60_000), fallback: '5000', only: 'gateway' } as VarSpec<number>,
  MESH_PROBE_INTERVAL_MS: { parse: parseInteger(0, 3_600_000), fallback: '30000', only: 'gateway' } as VarSpec<number>,
  CONNECTION_STOP_TIMEOUT_MS: { parse: parseInteger(0, 600_000), fallback: '30000', only: 'gateway' } as VarSpec<number>,
  // The sandboxes' hosts (npm start, compose, the e2e stacks); production allows none unless told.
  CONNECTION_HTTP_HOSTS: { parse: parseHostList, fallback: '127.0.0.1,localhost,amc-sandbox,joor-sandbox', productionFallback: '', only: 'gateway' } as VarSpec<string[]>,
};

export type EnvVarName = keyof typeof ENV_SPEC;
type Env = Record<string, string | undefined>;

/** Reads and validates the environment for one service. Throws ConfigError naming every bad variable. */
export function loadConfig(service: ServiceName, env: Env = process.env): AppConfig {
  const issues: ConfigIssue[] = [];
  let production = false;
  const nodeEnv = read('NODE_ENV', ENV_SPEC.NODE_ENV) ?? 'development';
  production = nodeEnv === 'production';

  function read<T>(name: EnvVarName, spec: VarSpec<T>): T | undefined {
    if (spec.only && spec.only !== service) return undefined;
    const given = env[name];
    const isSet = given !== undefined && given !== '';
    if (production && spec.requiredInProduction) {
      if (!isSet) {
        issues.push({ variable: name, problem: 'is required when NODE_ENV=production' });
        return undefined;
      }
      if (isDevDefault(name, given, spec)) {
        issues.push({ variable: name, problem: 'still has the development default; set a real value for production' });
        return undefined;
      }
    }
    const raw = isSet ? given : production && spec.productionFallback !== undefined ? spec.productionFallback : spec.fallback;
    if (raw === undefined) return undefined;
    try {
      const problem = production && spec.productionRule ? spec.productionRule(raw) : null;
      if (problem) throw new Error(problem);
      return spec.parse(raw);
    } catch (err) {
      issues.push({ variable: name, problem: (err as Error).message });
      return undefined;
    }
  }

  const config = {
    service,
    nodeEnv,
    port: read('PORT', ENV_SPEC.PORT) ?? SERVICE_PORTS[service],
    redisUrl: read('REDIS_URL', ENV_SPEC.REDIS_URL),
    databaseUrl: read('DATABASE_URL', ENV_SPEC.DATABASE_URL),
    queuePrefix: read('QUEUE_PREFIX', ENV_SPEC.QUEUE_PREFIX),
    secretsKey: read('SECRETS_ENCRYPTION_KEY', ENV_SPEC.SECRETS_ENCRYPTION_KEY),
    logLevel: read('LOG_LEVEL', ENV_SPEC.LOG_LEVEL),
    logFormat: read('LOG_FORMAT', ENV_SPEC.LOG_FORMAT) ?? (nodeEnv === 'production' ? 'json' : 'pretty'),
    healthTimeoutMs: read('HEALTH_CHECK_TIMEOUT_MS', ENV_SPEC.HEALTH_CHECK_TIMEOUT_MS),
    shutdownTimeoutMs: read('SHUTDOWN_TIMEOUT_MS', ENV_SPEC.SHUTDOWN_TIMEOUT_MS),
    workerConcurrency: read('WORKER_CONCURRENCY', ENV_SPEC.WORKER_CONCURRENCY) ?? null,
    workerLockMs: read('WORKER_LOCK_MS', ENV_SPEC.WORKER_LOCK_MS),
    amcRequestsPerSecond: read('AMC_REQUESTS_PER_SECOND', ENV_SPEC.AMC_REQUESTS_PER_SECOND),
    joorBudget: {
      creditsPerWindow: read('JOOR_CREDITS_PER_WINDOW', ENV_SPEC.JOOR_CREDITS_PER_WINDOW),
      windowMs: (read('JOOR_CREDIT_WINDOW_SECONDS', ENV_SPEC.JOOR_CREDIT_WINDOW_SECONDS) ?? 0) * 1000,
      safetyCredits: read('JOOR_CREDIT_SAFETY', ENV_SPEC.JOOR_CREDIT_SAFETY),
      marginMs: read('JOOR_CREDIT_MARGIN_MS', ENV_SPEC.JOOR_CREDIT_MARGIN_MS),
      reserveReleaseMs: read('JOOR_CREDIT_RESERVE_RELEASE_MS', ENV_SPEC.JOOR_CREDIT_RESERVE_RELEASE_MS),
      resetPrecisionMs: read('JOOR_RATE_RESET_PRECISION_MS', ENV_SPEC.JOOR_RATE_RESET_PRECISION_MS),
    },
    gateway: {
      apiKey: read('GATEWAY_API_KEY', ENV_SPEC.GATEWAY_API_KEY) ?? '',
      bullBoardUser: read('BULL_BOARD_USER', ENV_SPEC.BULL_BOARD_USER) ?? '',
      bullBoardPassword: read('BULL_BOARD_PASSWORD', ENV_SPEC.BULL_BOARD_PASSWORD) ?? '',
      meshTimeoutMs: read('MESH_CANARY_TIMEOUT_MS', ENV_SPEC.MESH_CANARY_TIMEOUT_MS) ?? 5000,
      meshProbeIntervalMs: read('MESH_PROBE_INTERVAL_MS', ENV_SPEC.MESH_PROBE_INTERVAL_MS) ?? 30_000,
      connectionStopTimeoutMs: read('CONNECTION_STOP_TIMEOUT_MS', ENV_SPEC.CONNECTION_STOP_TIMEOUT_MS) ?? 30_000,
      connectionHttpHosts: read('CONNECTION_HTTP_HOSTS', ENV_SPEC.CONNECTION_HTTP_HOSTS) ?? [],
    },
  };
  if (issues.length > 0) throw new ConfigError(issues);
  return config as AppConfig;
}

/** Redis holds the queues' payloads and the (sealed) JOOR tokens: production's asks for a password. */
function redisPasswordRule(raw: string): string | null {
  return URL.canParse(raw) && !new URL(raw).password ? 'must carry a password in production (redis://:<password>@host:6379, or rediss:// for TLS)' : null;
}

/**
 * Whether `given` is the development default of `name` in any spelling its parser accepts: the
 * dev key as hex, base64 or base64url, padded or not, is the same key.
 */
function isDevDefault<T>(name: EnvVarName, given: string, spec: VarSpec<T>): boolean {
  const devDefault = (DEV_DEFAULTS as Record<string, string>)[name];
  if (devDefault === undefined) return false;
  if (given.trim() === devDefault) return true;
  try {
    const [a, b] = [spec.parse(given), spec.parse(devDefault)];
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b;
  } catch {
    return false;
  }
}

/** Only what the migrations need, so `migrate` asks for no gateway or queue settings. */
export function loadDatabaseConfig(env: Env = process.env): { nodeEnv: NodeEnv; databaseUrl: string } {
  const issues: ConfigIssue[] = [];
  const parse = <T>(name: EnvVarName, spec: VarSpec<T>): T | undefined => {
    const given = env[name];
    const raw = given === undefined || given === '' ? spec.fallback : given;
    try {
      return raw === undefined ? undefined : spec.parse(raw);
    } catch (err) {
      issues.push({ variable: name, problem: (err as Error).message });
      return undefined;
    }
  };
  const nodeEnv = parse('NODE_ENV', ENV_SPEC.NODE_ENV) ?? 'development';
  if (nodeEnv === 'production' && !env.DATABASE_URL) issues.push({ variable: 'DATABASE_URL', problem: 'is required when NODE_ENV=production' });
  const databaseUrl = parse('DATABASE_URL', ENV_SPEC.DATABASE_URL);
  if (issues.length > 0 || !databaseUrl) throw new ConfigError(issues);
  return { nodeEnv, databaseUrl };
}
