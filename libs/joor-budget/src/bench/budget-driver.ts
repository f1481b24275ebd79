/**
 * One worker process of the multi-process budget proof (libs/joor-budget/test/budget-multi-process.e2e-spec.ts):
 * it calls the JOOR sandbox for `durationMs`, every call first taking its credits from the shared
 * budget at its priority, and feeds every answer's rate-limit headers back to the budget.
 * Run: node dist/libs/joor-budget/src/bench/budget-driver.js '<DriverSpec as JSON>'
 * Prints one JSON line (DriverReport) on stdout when done.
 */
import Redis from 'ioredis';
import type { CreditBudgetOptions } from '../budget-options';
import { JOOR_CREDIT_COST, type BudgetPriority } from '../credit-budget';
import { observedLimitFrom } from '../rate-limit-headers';
import { RedisCreditBudget, type BudgetStats } from '../redis-credit-budget';

export interface DriverRequest {
  method: keyof typeof JOOR_CREDIT_COST;
  /** `{account}` and `{n}` (a counter unique to this driver) are filled in. */
  path: string;
  body?: unknown;
}

export interface DriverSpec {
  name: string;
  priority: BudgetPriority;
  redisUrl: string;
  budget: CreditBudgetOptions;
  accountId: string;
  sandboxUrl: string;
  /** v2 static token (sent as `OAuth2 base64(token)`) and/or v4 bearer token. */
  v2Token?: string;
  accessToken?: string;
  requests: DriverRequest[];
  /** Calls in flight at once. */
  lanes: number;
  /** Pause between a lane's calls; 0 = as fast as the budget allows. */
  intervalMs: number;
  durationMs: number;
  /** Play another tool on the same JOOR account: call without the budget and tell it nothing. */
  bypassBudget?: boolean;
}

export interface DriverCall {
  /** Epoch ms when the credits were granted / the answer arrived. */
  grantedAt: number;
  doneAt: number;
  waitedMs: number;
  credits: number;
  status: number;
  remaining?: number;
  resetInMs?: number;
}

export interface DriverReport {
  name: string;
  priority: BudgetPriority;
  calls: DriverCall[];
  errors: string[];
  stats?: BudgetStats;
}

function fill(template: string, spec: DriverSpec, n: number): string {
  return template.replaceAll('{account}', encodeURIComponent(spec.accountId)).replaceAll('{n}', `${spec.name}-${process.pid}-${n}`);
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as DriverSpec;
  const redis = new Redis(spec.redisUrl, { maxRetriesPerRequest: 2 });
  const budget = new RedisCreditBudget(redis, spec.budget);
  const report: DriverReport = { name: spec.name, priority: spec.priority, calls: [], errors: [] };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), spec.durationMs);
  let counter = 0;

  const lane = async (laneNo: number): Promise<void> => {
    while (!stop.signal.aborted) {
      const n = counter++;
      const request = spec.requests[(n + laneNo) % spec.requests.length];
      const credits = JOOR_CREDIT_COST[request.method];
      let grant = { waitedMs: 0 };
      try {
        if (!spec.bypassBudget) grant = await budget.acquire(spec.accountId, credits, spec.priority, stop.signal);
      } catch (err) {
        if (stop.signal.aborted) break;
        throw err;
      }
      const grantedAt = Date.now();
      const path = fill(request.path, spec, n);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (path.startsWith('/v2/') && spec.v2Token) headers.Authorization = `OAuth2 ${Buffer.from(spec.v2Token).toString('base64')}`;
      else if (spec.accessToken) headers.Authorization = `Bearer ${spec.accessToken}`;
      try {
        const res = await fetch(`${spec.sandboxUrl}${path}`, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : fill(JSON.stringify(request.body), spec, n),
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        const observed = observedLimitFrom(res.status, res.headers);
        if (!spec.bypassBudget) await budget.observe(spec.accountId, observed);
        report.calls.push({ grantedAt, doneAt: Date.now(), waitedMs: grant.waitedMs, credits, status: res.status, remaining: observed.remaining, resetInMs: observed.resetInMs });
      } catch (err) {
        report.errors.push(`${request.method} ${request.path}: ${(err as Error).message}`);
      }
      if (spec.intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, spec.intervalMs));
    }
  };

  try {
    await Promise.all(Array.from({ length: spec.lanes }, (_, i) => lane(i)));
  } catch (err) {
    report.errors.push((err as Error).message);
  } finally {
    clearTimeout(timer);
    report.stats = budget.stats;
    await redis.quit();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main().catch((err: Error) => {
  process.stderr.write(`budget-driver failed: ${err.message}\n`);
  process.exit(1);
});
