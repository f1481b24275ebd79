/**
 * A Redis and a PostgreSQL of the chaos run's own, on ports of their own, that it can restart
 * without touching the shared servers other tests (and the sandboxes) use. Configured as the
 * deployment runs them: Redis with AOF on and noeviction (k8s/README.md), PostgreSQL stopped
 * "fast" as a pod's SIGTERM does (open sessions cut, data kept).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@app/util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One store the harness can take down and bring back. */
export interface RestartableStore {
  readonly name: 'redis' | 'postgres';
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Removes its files (after a final stop). */
  destroy(): Promise<void>;
}

export class PrivateRedis implements RestartableStore {
  readonly name = 'redis' as const;
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(): Promise<PrivateRedis> {
    if (!(await which('redis-server'))) throw new Error('redis-server is not installed: the chaos run starts a Redis of its own (apt-get install redis-server)');
    const store = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'chaos-redis-')));
    await store.start();
    return store;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitUntil(`Redis on ${this.port}`, async () => (await run('redis-cli', ['-p', String(this.port), 'ping']).catch(() => ({ stdout: '' }))).stdout.includes('PONG'));
  }

  /** SIGTERM, as a pod is stopped: Redis writes its AOF and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class PrivatePostgres implements RestartableStore {
  readonly name = 'postgres' as const;
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    const dir = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
    const store = new PrivatePostgres(await freePort(), dir, bin);
    if (process.getuid?.() === 0) {
      // PostgreSQL refuses to run as root: its files and process belong to the postgres user.
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
      chmodSync(dir, 0o700);
    }
    await store.as(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await store.start();
    return store;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    await this.as(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-o', options, '-l', join(this.dir, 'log'), '-w', '-t', '60', 'start']);
  }

  /** `pg_ctl stop -m fast`, what a pod's SIGTERM does: sessions cut, transactions rolled back, data kept. */
  async stop(): Promise<void> {
    await this.as(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.as(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private as(command: string, args: string[]) {
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  }
}

/** The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))) : [];
  if (majors.length === 0) throw new Error(`no initdb under ${root}: the chaos run starts a PostgreSQL of its own (apt-get install postgresql)`);
  return join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

async function which(command: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}
