import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createTestDatabase, freePort, ServiceProcess, testProcessEnv, testQueuePrefix, testServices, type TestDatabase } from '@app/testing';
import type { CreditBudgetOptions } from '@app/joor-budget';
import type { DriverReport, DriverSpec } from '../src/bench/budget-driver';

/** The JOOR sandbox shortened to 60 credits per 4 s window (instead of 300 per 300 s). */
export const CREDITS = 60;
export const WINDOW_SECONDS = 4;

const DRIVER = join(__dirname, '..', '..', '..', 'dist', 'libs', 'joor-budget', 'src', 'bench', 'budget-driver.js');
const SANDBOX_CREDENTIALS = {
  JOOR_SANDBOX_CLIENT_ID: 'bench-client',
  JOOR_SANDBOX_CLIENT_SECRET: 'bench-client-secret',
  JOOR_SANDBOX_USERNAME: 'bench@example.com',
  JOOR_SANDBOX_PASSWORD: 'bench-password',
  JOOR_SANDBOX_V2_TOKEN: 'bench-v2-token',
};

export const BENCH_BUDGET: CreditBudgetOptions = {
  creditsPerWindow: CREDITS,
  windowMs: WINDOW_SECONDS * 1000,
  safetyCredits: 2,
  // Two shared cores run the sandbox, the drivers and Jest: a grant may take a while to reach it.
  marginMs: 250,
  reserveReleaseMs: 500,
  // The sandbox's X-RateLimit-Reset carries milliseconds.
  resetPrecisionMs: 50,
  maxSleepMs: 500,
};

/**
 * The longest an order may wait in the proofs, derived from the configured window rather than
 * measured on this machine: the rest of one window (what an outsider's 429 may cost), the margins
 * the budget keeps around a window, and one re-check (a waiter sees a correction from the headers
 * at its next wake-up, at most maxSleepMs away). A slow machine cannot make the budget keep an
 * order out of a whole window, so it cannot miss this bound; the typical figure (well under a
 * second, see README.md) is printed, not asserted.
 */
export const ORDER_WAIT_BOUND_MS = WINDOW_SECONDS * 1000 + BENCH_BUDGET.resetPrecisionMs! + 2 * BENCH_BUDGET.marginMs! + BENCH_BUDGET.maxSleepMs!;

/**
 * At least this many order calls, each `intervalMs` apart, fit in `durationMs` even if every one
 * waited ORDER_WAIT_BOUND_MS (and `Math.max` over no calls would pass any bound).
 */
export function minOrderCalls(durationMs: number, intervalMs: number): number {
  return Math.max(1, Math.floor(durationMs / (intervalMs + ORDER_WAIT_BOUND_MS)));
}

export interface BenchWindow {
  end: number;
  /** What the sandbox counted (limit - lowest remaining it answered). */
  sandboxUsed: number;
  /** Credits of the calls the drivers saw counted in it. */
  driverCredits: number;
  calls: number;
}

/** Groups the calls by the JOOR window each was counted in (its end = answer time + reset). */
export function windowsOf(reports: DriverReport[]): BenchWindow[] {
  const calls = reports.flatMap((r) => r.calls).filter((c) => c.status !== 429 && c.resetInMs !== undefined && c.remaining !== undefined);
  calls.sort((a, b) => a.doneAt + a.resetInMs! - (b.doneAt + b.resetInMs!));
  const windows: BenchWindow[] = [];
  for (const call of calls) {
    const end = call.doneAt + call.resetInMs!;
    let current = windows[windows.length - 1];
    if (!current || end - current.end > 1_000) {
      current = { end, sandboxUsed: 0, driverCredits: 0, calls: 0 };
      windows.push(current);
    }
    current.sandboxUsed = Math.max(current.sandboxUsed, CREDITS - call.remaining!);
    current.driverCredits += call.credits;
    current.calls++;
  }
  return windows;
}

export function statusCounts(reports: DriverReport[]): Record<string, Record<number, number>> {
  return Object.fromEntries(reports.map((r) => [r.name, r.calls.reduce<Record<number, number>>((acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }), {})]));
}

/** A JOOR sandbox process, a budget key prefix and driver processes, all cleaned up by `stop()`. */
export class BudgetBench {
  readonly keyPrefix = `t-joor-budget-mp-${randomBytes(4).toString('hex')}`;
  private db: TestDatabase | undefined;
  private sandbox: ServiceProcess | undefined;
  private readonly drivers: ChildProcess[] = [];
  private account = '';
  private token = '';

  async start(label: string): Promise<void> {
    if (!existsSync(DRIVER)) throw new Error(`${DRIVER} is missing: run \`npm run build\` (or build:loose) first`);
    this.db = await createTestDatabase(label, { migrate: false });
    const port = await freePort();
    this.sandbox = ServiceProcess.start(
      'joor-sandbox',
      testProcessEnv('joor-sandbox', {
        databaseUrl: this.db.url,
        queuePrefix: testQueuePrefix(label),
        port,
        extra: {
          ...SANDBOX_CREDENTIALS,
          LOG_LEVEL: 'warn',
          JOOR_SANDBOX_CREDITS_PER_WINDOW: String(CREDITS),
          JOOR_SANDBOX_WINDOW_SECONDS: String(WINDOW_SECONDS),
          JOOR_SANDBOX_SEED_STYLES: '3',
          JOOR_SANDBOX_FETCH_ASSETS: 'false',
        },
      }),
      port,
    );
    await this.sandbox.ready(40_000);
    const state = (await (await fetch(`${this.sandbox.url}/_sandbox/state`)).json()) as { accountId?: string | null };
    if (!state.accountId) throw new Error('the JOOR sandbox has no seeded account');
    this.account = state.accountId;
    const form = new URLSearchParams({
      client_id: SANDBOX_CREDENTIALS.JOOR_SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CREDENTIALS.JOOR_SANDBOX_CLIENT_SECRET,
      username: SANDBOX_CREDENTIALS.JOOR_SANDBOX_USERNAME,
      password: SANDBOX_CREDENTIALS.JOOR_SANDBOX_PASSWORD,
      grant_type: 'password',
    });
    const res = await fetch(`${this.sandbox.url}/auth/`, { method: 'POST', body: form });
    if (res.status !== 200) throw new Error(`POST /auth/ answered ${res.status}: ${await res.text()}`);
    this.token = ((await res.json()) as { access_token: string }).access_token;
  }

  /** The fields every driver shares: Redis, the budget, the sandbox, the account and its token. */
  base(durationMs: number): Pick<DriverSpec, 'redisUrl' | 'budget' | 'accountId' | 'sandboxUrl' | 'accessToken' | 'durationMs'> {
    return { redisUrl: testServices().redisUrl, budget: { ...BENCH_BUDGET, keyPrefix: this.keyPrefix }, accountId: this.account, sandboxUrl: this.sandbox!.url, accessToken: this.token, durationMs };
  }

  run(spec: DriverSpec): Promise<DriverReport> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [DRIVER, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.drivers.push(child);
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.once('exit', (code) => {
        if (code !== 0) return reject(new Error(`driver ${spec.name} exited ${code}: ${err.slice(-2000)}`));
        try {
          resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as DriverReport);
        } catch (parseError) {
          reject(new Error(`driver ${spec.name} printed no report (${(parseError as Error).message}): ${out.slice(-500)} ${err.slice(-500)}`));
        }
      });
    });
  }

  async stop(): Promise<void> {
    for (const child of this.drivers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.sandbox?.stop();
    await this.db?.drop();
    const redis = new Redis(testServices().redisUrl);
    const keys = await redis.keys(`${this.keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}
