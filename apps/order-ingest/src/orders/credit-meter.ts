import type { BudgetPriority, CreditBudget, CreditGrant, ObservedLimit } from '@app/joor-budget';
import { JoorClient, type JoorClientOptions } from '@app/joor-client';

/** The shared budget, counting the credits this poll's calls take (retries included), for the run's record. */
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

/**
 * The same JOOR client (account, token cache, priority) with its credits counted by `meter`.
 * ConnectionClients builds the client without a hook for this, hence the read of its options.
 */
export function meteredJoorClient(joor: JoorClient, meter: CreditMeter): JoorClient {
  const options = (joor as unknown as { options: JoorClientOptions }).options;
  return new JoorClient({ ...options, budget: meter }, { tokens: joor.tokens });
}
