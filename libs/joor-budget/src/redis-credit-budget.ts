import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { systemClock, type Clock } from '@app/util';
import { priorityRank, resolveBudgetOptions, type CreditBudgetOptions, type ResolvedBudgetOptions } from './budget-options';
import { BUDGET_PRIORITIES, type BudgetPriority, type CreditBudget, type CreditGrant, type ObservedLimit } from './credit-budget';
import { ACQUIRE_SCRIPT, OBSERVE_SCRIPT } from './credit-budget.scripts';

/** One account's budget as Redis holds it (times in ms relative to now, negative = past). */
export interface BudgetSnapshot {
  used: number;
  cap: number;
  freezeInMs: number;
  resumeInMs: number;
  blockedForMs: number;
  waiting: Array<{ priority: BudgetPriority; credits: number }>;
}

export interface RedisCreditGrant extends CreditGrant {
  /** Start (Redis clock, or the injected one; epoch ms) of the budget window the credits were taken from. */
  windowStartedAt: number;
}

export type ObserveAction = 'ignored' | 'used' | 'aligned' | 'realigned' | 'adopted' | 'blocked';

/** What this process's budget did so far (for metrics and the multi-process proof). */
export interface BudgetStats {
  grants: number;
  /** Runs of the acquire script: grants plus wake-ups that found nothing yet. */
  scriptCalls: number;
  longestWaitMs: number;
  observed: Record<ObserveAction, number>;
}

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown[]> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as unknown[];
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return (await redis.eval(this.source, keys.length, ...keys, ...args)) as unknown[];
    }
  }
}

const acquireScript = new Script(ACQUIRE_SCRIPT);
const observeScript = new Script(OBSERVE_SCRIPT);

/** Time a registered waiter may oversleep before its place in the queue lapses. */
const WAITER_GRACE_MS = 2_000;

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('credit wait aborted'), { name: 'AbortError' });
}

/**
 * The JOOR credit budget of every account, in Redis, shared by all processes. See README.md for
 * the algorithm. The ioredis client belongs to the caller (who also closes it).
 */
export class RedisCreditBudget implements CreditBudget {
  readonly options: ResolvedBudgetOptions;
  readonly stats: BudgetStats = { grants: 0, scriptCalls: 0, longestWaitMs: 0, observed: { ignored: 0, used: 0, aligned: 0, realigned: 0, adopted: 0, blocked: 0 } };
  /** Local time (waits, `waitedMs`): the injected clock, else Date.now() and setTimeout. */
  private readonly clock: Clock;

  constructor(
    private readonly redis: Redis,
    options: CreditBudgetOptions = {},
  ) {
    this.options = resolveBudgetOptions(options);
    this.clock = this.options.clock ?? systemClock;
  }

  /** The `now` argument of the scripts: '' lets them read Redis's TIME (production). */
  private scriptNow(): string {
    return this.options.clock ? String(Math.floor(this.options.clock.now())) : '';
  }

  private keys(accountId: string): [string, string] {
    if (!accountId) throw new Error('credit budget: an account id is required');
    // The hash tag keeps both keys of an account in one Redis Cluster slot.
    const base = `${this.options.keyPrefix}:{${accountId}}`;
    return [`${base}:state`, `${base}:waiters`];
  }

  async acquire(accountId: string, credits: number, priority: BudgetPriority, signal?: AbortSignal): Promise<RedisCreditGrant> {
    const o = this.options;
    if (!Number.isInteger(credits) || credits < 1 || credits > o.cap) {
      throw new Error(`credit budget: ${credits} credits cannot be taken (a call costs 1 to ${o.cap})`);
    }
    const rank = priorityRank(priority);
    const keys = this.keys(accountId);
    const id = randomUUID();
    const started = this.clock.now();
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const [granted, waitMs, , , windowStartedAt] = await acquireScript.run(this.redis, keys, [
          credits,
          rank,
          id,
          o.cap,
          o.windowMs,
          o.marginMs,
          o.reserveReleaseMs,
          o.reserveCredits[rank],
          o.maxSleepMs,
          WAITER_GRACE_MS,
          this.scriptNow(),
        ]);
        this.stats.scriptCalls++;
        if (Number(granted) === 1) {
          const waitedMs = this.clock.now() - started;
          this.stats.grants++;
          this.stats.longestWaitMs = Math.max(this.stats.longestWaitMs, waitedMs);
          return { waitedMs, windowStartedAt: Number(windowStartedAt) };
        }
        // A little jitter so waiters released together do not all arrive in the same millisecond.
        const sleepMs = Number(waitMs) + Math.floor(Math.random() * Math.min(20, 1 + Number(waitMs) / 10));
        await this.clock.sleep(sleepMs, signal).catch((err: unknown) => {
          throw signal?.aborted ? abortError(signal) : err;
        });
      }
    } catch (err) {
      await this.redis.zrem(keys[1], `${rank}:${credits}:${id}`).catch(() => undefined);
      throw err;
    }
  }

  async observe(accountId: string, observed: ObservedLimit): Promise<void> {
    await this.observeWithResult(accountId, observed);
  }

  /** `observe`, answering what the budget did with it (for logs and tests). */
  async observeWithResult(accountId: string, observed: ObservedLimit): Promise<ObserveAction> {
    const o = this.options;
    const num = (value: number | undefined) => (value !== undefined && Number.isFinite(value) && value >= 0 ? String(Math.round(value)) : '');
    if (observed.remaining === undefined && observed.resetInMs === undefined && !observed.limited) return this.count('ignored');
    const [action] = await observeScript.run(this.redis, this.keys(accountId), [
      num(observed.remaining),
      num(observed.resetInMs),
      observed.limited ? '1' : '0',
      o.creditsPerWindow,
      o.cap,
      o.windowMs,
      o.marginMs,
      o.resetPrecisionMs,
      this.scriptNow(),
    ]);
    return this.count(String(action) as ObserveAction);
  }

  private count(action: ObserveAction): ObserveAction {
    this.stats.observed[action] = (this.stats.observed[action] ?? 0) + 1;
    return action;
  }

  async snapshot(accountId: string): Promise<BudgetSnapshot> {
    const [stateKey, waitersKey] = this.keys(accountId);
    const [[, time], [, state], [, members]] = (await this.redis.multi().time().hmget(stateKey, 'used', 'freeze', 'resume', 'blocked').zrange(waitersKey, 0, -1, 'WITHSCORES').exec()) as [
      [unknown, [string, string]],
      [unknown, Array<string | null>],
      [unknown, string[]],
    ];
    const now = this.options.clock ? Math.floor(this.options.clock.now()) : Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    const at = (raw: string | null) => (raw === null ? 0 : Number(raw) - now);
    const resumeInMs = at(state[2]);
    return {
      used: resumeInMs > 0 ? Number(state[0] ?? 0) : 0,
      cap: this.options.cap,
      freezeInMs: at(state[1]),
      resumeInMs,
      blockedForMs: at(state[3]),
      waiting: members.flatMap((member, i) => {
        if (i % 2 === 1 || Number(members[i + 1]) <= now) return [];
        const [rank, credits] = member.split(':');
        return [{ priority: BUDGET_PRIORITIES[Number(rank)], credits: Number(credits) }];
      }),
    };
  }
}
