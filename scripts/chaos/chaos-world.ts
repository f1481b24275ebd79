/**
 * The world a chaos trial runs in: both sandboxes as processes on the shared Redis and PostgreSQL
 * (they stand in for AMC and JOOR, which a brand's outage does not touch), and the whole mesh
 * (gateway and the five sync services) as processes on a Redis and a PostgreSQL of the run's own,
 * which it can restart. Each trial gets a fresh database and an empty Redis, and the sandboxes are
 * seeded anew with the same brand, so every trial starts from the same state.
 */
import { Client } from 'pg';
import Redis from 'ioredis';
import { DEV_DEFAULTS, type ServiceName } from '@app/common';
import { runMigrations } from '@app/persistence';
import { freePort } from '@app/util';
import { amcSandboxEnv, AMC_TOKEN, createBenchDatabase, http, JOOR_CREDS, joorSandboxEnv, Proc, sleep, syncServiceEnv } from '../bench-kit';
import { demoConnectionBody } from '../demo-connection';
import { PrivatePostgres, PrivateRedis, type RestartableStore } from './private-stores';
import type { WorkloadTarget } from './workload';

export const SYNC_SERVICES = ['catalog-sync', 'media-sync', 'inventory-sync', 'customer-sync', 'order-ingest'] as const satisfies readonly ServiceName[];
export type SyncService = (typeof SYNC_SERVICES)[number];
const MESH: readonly ServiceName[] = ['gateway', ...SYNC_SERVICES];
const QUEUE_PREFIX = 'amcjoor';

/** How often the trial connections read AMC's stock (the least the setting allows). */
export const TRIAL_INVENTORY_POLL_SECONDS = 15;

export interface WorldOptions {
  styles: number;
  seed: number;
  /** JOOR's credit limit for the sandbox and the services' budget (JOOR's own: 300 per 300 s). */
  limit: { credits: number; seconds: number };
  /** Extra environment for the mesh services (e.g. shorter shutdown). */
  serviceEnv?: NodeJS.ProcessEnv;
}

/** The seed both sandboxes get: the generated brand with a few customers and orders. */
export function seedBody(options: Pick<WorldOptions, 'styles' | 'seed'>): { styles: number; seed: number; customers: number; orders: number } {
  return { styles: options.styles, seed: options.seed, customers: 20, orders: 12 };
}

export class ChaosWorld {
  readonly mesh = new Map<ServiceName, Proc>();
  private readonly ports = new Map<ServiceName, number>();
  private trialDb: string | null = null;
  connectionId = '';
  accountId = '';
  /** JOOR's credit limit now (the sandbox's and the services' budget): the options' unless a trial asked for another. */
  limit: { credits: number; seconds: number };

  private constructor(
    readonly options: WorldOptions,
    readonly redis: PrivateRedis,
    readonly postgres: PrivatePostgres,
    readonly amc: Proc,
    public joor: Proc,
    private readonly sandboxStores: { dbUrl: string; redisUrl: string },
    private readonly dropSandboxDb: () => Promise<void>,
  ) {
    this.limit = options.limit;
  }

  static async open(options: WorldOptions): Promise<ChaosWorld> {
    const [redis, postgres] = await Promise.all([PrivateRedis.create(), PrivatePostgres.create()]);
    const shared = await createBenchDatabase('chaos');
    const amc = new Proc('amc-sandbox', amcSandboxEnv(shared.dbUrl, shared.redisUrl), await freePort());
    const joor = new Proc('joor-sandbox', joorSandboxEnv(shared.dbUrl, shared.redisUrl, options.limit), await freePort());
    const world = new ChaosWorld(options, redis, postgres, amc, joor, { dbUrl: shared.dbUrl, redisUrl: shared.redisUrl }, shared.drop);
    try {
      await Promise.all([amc.ready(), joor.ready()]);
      for (const service of MESH) world.ports.set(service, await freePort());
    } catch (err) {
      await world.close();
      throw err;
    }
    return world;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.get('gateway')}`;
  }

  /** The trial's brand, for the workload. */
  get target(): WorkloadTarget {
    return { amcUrl: this.amc.url, joorUrl: this.joor.url, connectionId: this.connectionId, api: (method, path, body) => this.api(method, path, body) };
  }

  /** Every mesh service's port (the gateway's included), for processes that join the trial. */
  portOf(service: ServiceName): number {
    return this.ports.get(service)!;
  }

  store(name: 'redis' | 'postgres'): RestartableStore {
    return name === 'redis' ? this.redis : this.postgres;
  }

  /** A fresh start: sandboxes seeded, faults cleared, an empty Redis, a new database, the mesh up, the connection created. */
  async startTrial(label: string): Promise<void> {
    const body = seedBody(this.options);
    const [, joorSeed] = await Promise.all([http('POST', `${this.amc.url}/_sandbox/seed`, body), http('POST', `${this.joor.url}/_sandbox/seed`, body)]);
    this.accountId = String(joorSeed.accountId);
    await Promise.all([this.setFaults(this.amc, []), this.setFaults(this.joor, []), http('DELETE', `${this.joor.url}/_sandbox/credits`)]);
    await this.flushRedis();
    this.trialDb = `trial_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${Date.now().toString(36)}`;
    await this.adminQuery(`CREATE DATABASE "${this.trialDb}"`);
    await runMigrations(this.trialDbUrl());
    await Promise.all(MESH.map((service) => this.startService(service)));
    await Promise.all(MESH.map((service) => this.mesh.get(service)!.ready()));
    this.connectionId = await this.createConnection();
  }

  /**
   * JOOR's credit limit for the next trial: when it changes, the JOOR sandbox is started again with
   * it (same port, same data; its call log starts afresh), and the mesh the trial starts gets the same.
   */
  async useLimit(limit: { credits: number; seconds: number }): Promise<void> {
    if (limit.credits === this.limit.credits && limit.seconds === this.limit.seconds) return;
    const port = this.joor.port;
    await this.joor.stop();
    this.joor = new Proc('joor-sandbox', joorSandboxEnv(this.sandboxStores.dbUrl, this.sandboxStores.redisUrl, limit), port);
    await this.joor.ready();
    this.limit = limit;
  }

  async endTrial(): Promise<void> {
    await Promise.all([...this.mesh.values()].map((proc) => proc.stop()));
    this.mesh.clear();
    if (this.trialDb) await this.adminQuery(`DROP DATABASE IF EXISTS "${this.trialDb}" WITH (FORCE)`).catch(() => undefined);
    this.trialDb = null;
  }

  async close(): Promise<void> {
    await this.endTrial().catch(() => undefined);
    await Promise.all([this.amc.stop(), this.joor.stop()]);
    await this.dropSandboxDb().catch(() => undefined);
    await Promise.all([this.redis.destroy(), this.postgres.destroy()]);
  }

  /** `kill -9`, as the kernel's OOM killer or a node failure does. */
  kill(service: ServiceName): void {
    this.mesh.get(service)?.child.kill('SIGKILL');
  }

  /** Started again on its port, as Kubernetes restarts a container; answers once it is ready. */
  async restart(service: ServiceName): Promise<void> {
    const old = this.mesh.get(service);
    if (old?.alive) await old.stop();
    await this.startService(service).ready(90_000);
  }

  /** Job locks held now in a sync service's queue (a live worker holds one per active job). */
  async heldLocks(service: SyncService): Promise<number> {
    return this.withRedis(async (redis) => {
      let cursor = '0';
      let count = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:${service}:*:lock`, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      return count;
    });
  }

  /** Rules for a sandbox's fault injector (an empty list clears them). */
  async setFaults(sandbox: Proc, rules: unknown[], settings: Record<string, number> = {}): Promise<void> {
    await http('POST', `${sandbox.url}/_sandbox/faults`, { rules, seed: this.options.seed, ...settings });
  }

  /** Every mesh service's readiness: service -> HTTP status (0 when it does not answer). */
  async readiness(): Promise<Map<ServiceName, number>> {
    const out = new Map<ServiceName, number>();
    await Promise.all(
      MESH.map(async (service) => {
        const res = await fetch(`http://127.0.0.1:${this.ports.get(service)}/health/ready`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
        out.set(service, res?.status ?? 0);
      }),
    );
    return out;
  }

  /** A call to the gateway's API with the (development) key. */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: { 'x-api-key': DEV_DEFAULTS.GATEWAY_API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  /** Runs of the trial's connection not yet ended (queued or running), read from the database. */
  async unfinishedRuns(): Promise<Array<{ id: string; kind: string; status: string; trigger: string }>> {
    const client = new Client({ connectionString: this.trialDbUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT id, kind, status, trigger FROM sync_run WHERE status NOT IN ('succeeded', 'partial', 'failed', 'cancelled') ORDER BY queued_at`);
      return rows;
    } finally {
      await client.end();
    }
  }

  private startService(service: ServiceName): Proc {
    const env = syncServiceEnv(this.trialDbUrl(), this.redis.url, QUEUE_PREFIX, this.limit, {
      SHUTDOWN_TIMEOUT_MS: '5000',
      // Scaled down like JOOR's window: a killed service's job comes back in about 20 s, not a minute or more.
      WORKER_LOCK_MS: '10000',
      AMC_REQUESTS_PER_SECOND: '50',
      ...this.options.serviceEnv,
    });
    const proc = new Proc(service, env, this.ports.get(service)!);
    this.mesh.set(service, proc);
    return proc;
  }

  private createConnection(): Promise<string> {
    return this.createBrandConnection('Chaos brand', this.options.seed, this.amc.url, this.joor.url);
  }

  /** A connection through the gateway for a generated brand on these sandboxes, with the trial's quick schedules. */
  async createBrandConnection(name: string, seed: number, amcUrl: string, joorUrl: string): Promise<string> {
    const body = demoConnectionBody({ styles: this.options.styles, seed, amcUrl, joorUrl, amcToken: AMC_TOKEN, joor: JOOR_CREDS });
    body.name = name;
    body.settings = { ...(body.settings as object), inventoryPollSeconds: TRIAL_INVENTORY_POLL_SECONDS, customerSyncMinutes: 1, catalogSyncMinutes: 1, orderPollMinutes: 5 };
    const res = await this.api('POST', '/connections', body);
    if (res.status !== 201) throw new Error(`POST /connections answered ${res.status}: ${JSON.stringify(res.json)}`);
    return res.json.id as string;
  }

  private trialDbUrl(): string {
    if (!this.trialDb) throw new Error('no trial started');
    return this.postgres.url.replace(/\/postgres$/, `/${this.trialDb}`);
  }

  private async flushRedis(): Promise<void> {
    await this.withRedis((redis) => redis.flushall());
  }

  /** A short-lived client of the run's own Redis (closed after, so nothing keeps the process open). */
  private async withRedis<T>(fn: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      return await fn(redis);
    } finally {
      redis.disconnect();
    }
  }

  private async adminQuery(sql: string): Promise<void> {
    const client = new Client({ connectionString: this.postgres.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

export { sleep };
