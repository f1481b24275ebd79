import type { BudgetPriority, CreditBudget, CreditGrant, ObservedLimit } from '@app/joor-budget';

/**
 * The shared budget, counting the credits one job's calls take from it (retries included), for
 * the run's record. JOOR does not charge a refused call (401, 429), so this can run a little over
 * what JOOR counted; never under.
 */
export class CreditMeter implements CreditBudget {
  private spent = 0;

  constructor(private readonly inner: CreditBudget) {}

  async acquire(accountId: string, credits: number, priority: BudgetPriority, signal?: AbortSignal): Promise<CreditGrant> {
    const grant = await this.inner.acquire(accountId, credits, priority, signal);
    this.spent += credits;
    return grant;
  }

  observe(accountId: string, observed: ObservedLimit): Promise<void> {
    return this.inner.observe(accountId, observed);
  }

  /** Credits taken since the last call. */
  take(): number {
    const spent = this.spent;
    this.spent = 0;
    return spent;
  }
}
