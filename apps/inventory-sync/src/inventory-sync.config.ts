import { parseInteger, readEnv } from '@app/common';
import type { InventorySyncTuning } from './inventory/inventory-sync.tuning';

/** inventory-sync's own settings (the base ones come from loadConfig('inventory-sync')). */
export function loadInventorySyncTuning(env: NodeJS.ProcessEnv = process.env): InventorySyncTuning {
  return {
    // JOOR documents no row limit for bulk-inventory; 1,000 rows keep a call's body near 200 kB.
    rowsPerCall: readEnv(env, 'INVENTORY_ROWS_PER_CALL', parseInteger(1, 5_000), 1_000),
    cursorOverlapMs: readEnv(env, 'INVENTORY_CURSOR_OVERLAP_SECONDS', parseInteger(0, 86_400), 120) * 1000,
    busyRetryMs: readEnv(env, 'INVENTORY_BUSY_RETRY_MS', parseInteger(100, 600_000), 5_000),
  };
}
