/**
 * What the benchmarks share: the built services and sandboxes as child processes, a database of
 * their own (dropped at the end), plain HTTP, the JOOR sandbox's call log, a bench connection.
 * Needs PostgreSQL and Redis (DATABASE_URL's server, REDIS_URL; development defaults) and the build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEV_DEFAULTS, parseKey256, redisOptionsFromUrl } from '@app/common';
import { isFinalRunStatus, type ConnectionSettings } from '@app/contracts';
import { buildDataSourceOptions, ConnectionEntity, ConnectionRepository, runMigrations, SecretCipher, SyncRunEntity } from '@app/persistence';

/** The checkout (the folder with package.json), whether this runs built (dist/scripts) or from source under Jest. */
export const ROOT = checkoutRoot(__dirname);
function checkoutRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  throw new Error(`no package.json above ${from}`);
}
/** The development key the services fall back to: the bench writes connection secrets they can read. */
export const SECRETS_KEY = parseKey256(DEV_DEFAULTS.SECRETS_ENCRYPTION_KEY);
export const JOOR_CREDS = {
  clientId: 'joor-sandbox-client',
  clientSecret: 'joor-sandbox-client-secret',
  username: 'brand@example.com',
  password: 'joor-sandbox-password',
  v2Token: 'joor-sandbox-v2-token',
};
export const AMC_TOKEN = 'amc-bench-token';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function http(method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** A built service or sandbox (`dist/apps/<name>/src/main.js`) as a child process on its own port. */
export class Proc {
  /** The last lines it printed (for the error when it dies or is not ready). */
  readonly output: string[] = [];
  readonly child: ChildProcess;
  constructor(
    readonly name: string,
    env: NodeJS.ProcessEnv,
    readonly port: number,
  ) {
    this.child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], { env: { PATH: process.env.PATH, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [this.child.stdout, this.child.stderr]) {
      s?.on('data', (c: Buffer) => {
        this.output.push(...c.toString().split('\n').filter(Boolean));
        if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
      });
    }
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  async ready(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.output.slice(-20).join('\n')}`);
      const res = await fetch(`${this.url}/health/ready`).catch(() => null);
      if (res?.status === 200) return;
      await sleep(200);
    }
    throw new Error(`${this.name} not ready in ${timeoutMs} ms:\n${this.output.slice(-20).join('\n')}`);
  }
  /** V8 heap in use now (prom-client's default metric), MB. */
  async heapUsedMb(): Promise<number> {
    const text = await fetch(`${this.url}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text);
    return m ? Number(m[1]) / 1024 / 1024 : 0;
  }
  /** Peak resident set size so far (VmHWM), MB. */
  peakRssMb(): number {
    return this.procStatusMb('VmHWM');
  }
  /** Resident set size now (VmRSS), MB. */
  rssMb(): number {
    return this.procStatusMb('VmRSS');
  }
  private procStatusMb(field: string): number {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  }
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000).then(() => this.child.kill('SIGKILL'))]);
  }
}

/** A database of the bench's own on DATABASE_URL's server, created now and dropped by `drop()`. */
export async function createBenchDatabase(label: string): Promise<{ adminUrl: string; redisUrl: string; dbName: string; dbUrl: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? DEV_DEFAULTS.REDIS_URL;
  const dbName = `bench_${label}_${randomBytes(4).toString('hex')}`;
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${dbName}"`);
  return { adminUrl, redisUrl, dbName, dbUrl, drop: () => admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`) };
}

/** Deletes every Redis key under a bench's queue prefix (its queues, credit budget, token cache). */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisOptionsFromUrl(redisUrl, { connectionName: 'bench-cleanup', maxRetriesPerRequest: 3 }));
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export function amcSandboxEnv(dbUrl: string, redisUrl: string): NodeJS.ProcessEnv {
  return { NODE_ENV: 'development', DATABASE_URL: dbUrl, REDIS_URL: redisUrl, AMC_SANDBOX_TOKEN: AMC_TOKEN, AMC_SANDBOX_SEED_STYLES: '0', LOG_LEVEL: 'warn' };
}

/** The JOOR sandbox with a credit limit of `credits` per `seconds` window (JOOR's: 300 per 300). */
export function joorSandboxEnv(dbUrl: string, redisUrl: string, limit: { credits: number; seconds: number }): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    JOOR_SANDBOX_CREDITS_PER_WINDOW: String(limit.credits),
    JOOR_SANDBOX_WINDOW_SECONDS: String(limit.seconds),
    JOOR_SANDBOX_SEED_STYLES: '1',
    JOOR_SANDBOX_FETCH_ASSETS: 'false',
    LOG_LEVEL: 'warn',
  };
}

/** A sync service's environment: its queue prefix and the credit budget of the same limit as the JOOR sandbox. */
export function syncServiceEnv(dbUrl: string, redisUrl: string, queuePrefix: string, limit: { credits: number; seconds: number }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const windowMs = limit.seconds * 1000;
  return {
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    JOOR_CREDITS_PER_WINDOW: String(limit.credits),
    JOOR_CREDIT_WINDOW_SECONDS: String(limit.seconds),
    // The budget's bounds scale with the window (margin at most window/20, release window/10).
    JOOR_CREDIT_MARGIN_MS: String(Math.min(1000, windowMs / 20)),
    JOOR_CREDIT_RESERVE_RELEASE_MS: String(Math.min(3000, windowMs / 10)),
    JOOR_RATE_RESET_PRECISION_MS: '1',
    ...extra,
  };
}

/** A connection pointing at both sandboxes (the JOOR account is the one the JOOR sandbox was seeded with). */
export async function createBenchConnection(
  connections: ConnectionRepository,
  name: string,
  amcUrl: string,
  joorUrl: string,
  joorAccountId: string,
  settings: Partial<ConnectionSettings>,
): Promise<ConnectionEntity> {
  const base = joorUrl.replace(/\/$/, '');
  return connections.create(
    {
      name,
      amcBaseUrl: amcUrl,
      joorAuthUrl: `${base}/auth/`,
      joorV4BaseUrl: `${base}/v4`,
      joorV2BaseUrl: `${base}/v2`,
      joorAccountId,
      joorClientId: JOOR_CREDS.clientId,
      joorUsername: JOOR_CREDS.username,
    },
    { amcToken: AMC_TOKEN, joorClientSecret: JOOR_CREDS.clientSecret, joorPassword: JOOR_CREDS.password, joorV2Token: JOOR_CREDS.v2Token },
    settings,
  );
}

export function connectionRepository(dataSource: DataSource): ConnectionRepository {
  return new ConnectionRepository(dataSource.getRepository(ConnectionEntity), new SecretCipher(SECRETS_KEY));
}

/** One call of the JOOR sandbox's log (`GET /_sandbox/calls`). */
export interface SandboxCall {
  seq: number;
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  credits: number;
}

/** Reads a sandbox's call log on from where it last stopped. */
export class CallLogReader {
  private seq = 0;
  /** Calls that fell out of the sandbox's ring before they were read (0: the figures saw every call). */
  missed = 0;

  constructor(private readonly sandboxUrl: string) {}

  /** From now on: only calls after the newest one so far. */
  async mark(): Promise<void> {
    this.seq = (await http('GET', `${this.sandboxUrl}/_sandbox/calls?limit=1`)).lastSeq as number;
  }

  /** The calls since the last read. */
  async read(): Promise<SandboxCall[]> {
    const out: SandboxCall[] = [];
    for (;;) {
      const page = await http('GET', `${this.sandboxUrl}/_sandbox/calls?since=${this.seq}&limit=5000`);
      out.push(...(page.calls as SandboxCall[]));
      this.missed += page.missed ?? 0;
      if (page.calls.length === 0 || page.lastSeq === this.seq) return out;
      this.seq = page.calls[page.calls.length - 1].seq;
    }
  }
}

/** The nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The bench database migrated, and a DataSource open on it. */
export async function openBenchDataSource(dbUrl: string, applicationName: string): Promise<DataSource> {
  await runMigrations(dbUrl);
  const dataSource = new DataSource(buildDataSourceOptions(dbUrl, { applicationName }));
  await dataSource.initialize();
  return dataSource;
}

/** Reads the run record every `everyMs` until the run has ended; answers its final record. */
export async function waitForRunEnd(dataSource: DataSource, runId: string, everyMs = 250): Promise<SyncRunEntity> {
  for (;;) {
    await sleep(everyMs);
    const run = await dataSource.getRepository(SyncRunEntity).findOneBy({ id: runId });
    if (run && isFinalRunStatus(run.status)) return run;
  }
}
