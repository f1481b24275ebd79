import { parseInteger, readEnv } from '@app/common';
import type { CustomerSyncTuning } from './customers/customer-sync.tuning';

/** customer-sync's own settings (the base ones come from loadConfig('customer-sync')). */
export function loadCustomerSyncTuning(env: NodeJS.ProcessEnv = process.env): CustomerSyncTuning {
  return {
    // JOOR documents no limit for bulk-connection; our sandbox (and the client's batch) take 1,000.
    customersPerCall: readEnv(env, 'CUSTOMER_BATCH_SIZE', parseInteger(1, 1_000), 1_000),
    cursorOverlapMs: readEnv(env, 'CUSTOMER_CURSOR_OVERLAP_SECONDS', parseInteger(0, 86_400), 120) * 1000,
    busyRetryMs: readEnv(env, 'CUSTOMER_BUSY_RETRY_MS', parseInteger(100, 600_000), 5_000),
    // 20 look-ups per check (hourly by default): a few hundred credits a day at most, at the customers' priority.
    pendingChecksPerRun: readEnv(env, 'CUSTOMER_PENDING_CHECKS_PER_RUN', parseInteger(1, 1_000), 20),
    // JOOR's data team takes 2-3 business days: a daily look at each pending customer is enough.
    pendingRecheckMs: readEnv(env, 'CUSTOMER_PENDING_RECHECK_MINUTES', parseInteger(0, 43_200), 1_440) * 60_000,
  };
}
