import type { Clock } from '@app/util';
import { BUDGET_PRIORITIES, type BudgetPriority } from './credit-budget';

/** Settings of a `RedisCreditBudget`; every field has a production default. */
export interface CreditBudgetOptions {
  /** JOOR's limit per account and window. */
  creditsPerWindow?: number;
  windowMs?: number;
  /** Credits never spent, for calls JOOR counts and we do not (another tool on the same account). */
  safetyCredits?: number;
  /**
   * Upper bound on the time from a grant to JOOR receiving the request. Grants stop `marginMs`
   * before our estimate of JOOR's window end and a new window opens `marginMs` after it, so no
   * request lands in a window it was not counted in.
   */
  marginMs?: number;
  /**
   * Fraction of the window's credits a priority must leave untouched for the priorities above it.
   * Released linearly over the last `reserveReleaseMs` of the window, so it is never wasted.
   */
  reserve?: Partial<Record<BudgetPriority, number>>;
  reserveReleaseMs?: number;
  /** Granularity of JOOR's reset header (whole seconds unless known better). */
  resetPrecisionMs?: number;
  /** Redis key prefix; each account's keys are `<prefix>:{<accountId>}:…`. */
  keyPrefix?: string;
  /** A waiter re-checks at least this often, so a correction from `observe()` is seen promptly. */
  maxSleepMs?: number;
  /**
   * Tests only. Without it (production) every decision runs on Redis's clock (`TIME`), waits on
   * `setTimeout` and `waitedMs` on `Date.now()`. With it, the scripts take this clock's time
   * instead of Redis's, and waits sleep on it: every budget sharing an account must then share
   * the clock. See README.md, "Testing the timing".
   */
  clock?: Clock;
}

export interface ResolvedBudgetOptions {
  creditsPerWindow: number;
  windowMs: number;
  safetyCredits: number;
  /** creditsPerWindow - safetyCredits: what the budget hands out per window. */
  cap: number;
  marginMs: number;
  /** Credits held back from each priority (index = rank, 0 = orders). */
  reserveCredits: number[];
  reserveReleaseMs: number;
  resetPrecisionMs: number;
  keyPrefix: string;
  maxSleepMs: number;
  /** The injected clock, or null: Redis's `TIME` (production). */
  clock: Clock | null;
}

/** Orders may use everything; each lower priority leaves a growing share for the ones above it. */
export const DEFAULT_RESERVE: Record<BudgetPriority, number> = { orders: 0, inventory: 0.1, customers: 0.15, catalog: 0.2, media: 0.25 };

export const BUDGET_DEFAULTS = {
  creditsPerWindow: 300,
  windowMs: 300_000,
  // One write's worth: a manual call by the brand on the same account must not cost a 429.
  safetyCredits: 5,
  // JOOR answers in well under a second; a slower request is retried under a fresh grant anyway.
  marginMs: 1_000,
  // Orders wait at most about this (+ 2 x marginMs) once catalog and media saturate the account.
  reserveReleaseMs: 3_000,
  resetPrecisionMs: 1_000,
  keyPrefix: 'joor-budget',
  maxSleepMs: 2_000,
} as const;

function whole(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`credit budget: ${name} must be a whole number between ${min} and ${max} (got ${value})`);
  return value;
}

export function resolveBudgetOptions(options: CreditBudgetOptions = {}): ResolvedBudgetOptions {
  const creditsPerWindow = whole('creditsPerWindow', options.creditsPerWindow ?? BUDGET_DEFAULTS.creditsPerWindow, 1);
  const windowMs = whole('windowMs', options.windowMs ?? BUDGET_DEFAULTS.windowMs, 100);
  const safetyCredits = whole('safetyCredits', options.safetyCredits ?? Math.min(BUDGET_DEFAULTS.safetyCredits, Math.floor(creditsPerWindow / 10)), 0, creditsPerWindow - 1);
  // The time defaults are for JOOR's 300 s window; a shortened one (tests, demos) scales them down.
  const marginMs = whole('marginMs', options.marginMs ?? Math.min(BUDGET_DEFAULTS.marginMs, Math.floor(windowMs / 20)), 0, Math.floor(windowMs / 4));
  const reserveReleaseMs = whole('reserveReleaseMs', options.reserveReleaseMs ?? Math.min(BUDGET_DEFAULTS.reserveReleaseMs, Math.floor(windowMs / 10)), 0, windowMs);
  const cap = creditsPerWindow - safetyCredits;
  const fractions = { ...DEFAULT_RESERVE, ...(options.reserve ?? {}) };
  let previous = 0;
  const reserveCredits = BUDGET_PRIORITIES.map((priority) => {
    const fraction = fractions[priority];
    if (!(fraction >= 0 && fraction < 1)) throw new Error(`credit budget: reserve.${priority} must be a fraction in [0, 1) (got ${fraction})`);
    // A reserve that shrank for a lower priority would let it take what a higher one may not.
    if (fraction < previous) throw new Error(`credit budget: reserve.${priority} (${fraction}) is below the reserve of a higher priority (${previous})`);
    previous = fraction;
    return Math.round(fraction * cap);
  });
  return {
    creditsPerWindow,
    windowMs,
    safetyCredits,
    cap,
    marginMs,
    reserveCredits,
    reserveReleaseMs,
    resetPrecisionMs: whole('resetPrecisionMs', options.resetPrecisionMs ?? Math.min(BUDGET_DEFAULTS.resetPrecisionMs, Math.floor(windowMs / 10)), 0, windowMs),
    keyPrefix: options.keyPrefix ?? BUDGET_DEFAULTS.keyPrefix,
    maxSleepMs: whole('maxSleepMs', options.maxSleepMs ?? BUDGET_DEFAULTS.maxSleepMs, 10),
    clock: options.clock ?? null,
  };
}

export function priorityRank(priority: BudgetPriority): number {
  const rank = BUDGET_PRIORITIES.indexOf(priority);
  if (rank < 0) throw new Error(`credit budget: unknown priority ${String(priority)}`);
  return rank;
}
