/**
 * The JOOR credit budget, one per JOOR account, shared by every process (held in Redis).
 * JOOR charges GET 1 credit and POST/PUT/DELETE 5, 300 credits per fixed 300 s window that
 * starts at the account's first request; past it, 429.
 */
export const BUDGET_PRIORITIES = ['orders', 'inventory', 'customers', 'catalog', 'media'] as const;
/** Highest first: orders are never starved by a catalog or media backlog. */
export type BudgetPriority = (typeof BUDGET_PRIORITIES)[number];

export const JOOR_CREDIT_COST: Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', number> = { GET: 1, POST: 5, PUT: 5, PATCH: 5, DELETE: 5 };

export interface CreditGrant {
  /** How long the caller waited for its credits. */
  waitedMs: number;
}

/** What a JOOR response said about the account's window, fed back to keep the budget in step. */
export interface ObservedLimit {
  remaining?: number;
  resetInMs?: number;
  /** The response was a 429. */
  limited?: boolean;
}

export interface CreditBudget {
  /** Waits until `credits` may be spent at this priority, then takes them atomically. */
  acquire(accountId: string, credits: number, priority: BudgetPriority, signal?: AbortSignal): Promise<CreditGrant>;
  /** Corrects the budget from JOOR's rate-limit headers (and on a 429, waits the window out). */
  observe(accountId: string, observed: ObservedLimit): Promise<void>;
}
