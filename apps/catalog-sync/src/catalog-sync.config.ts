import { parseInteger, readEnv } from '@app/common';
import type { CatalogSyncTuning } from './catalog/catalog-sync.tuning';

/** catalog-sync's own settings (the base ones come from loadConfig('catalog-sync')). */
export function loadCatalogSyncTuning(env: NodeJS.ProcessEnv = process.env): CatalogSyncTuning {
  return {
    // JOOR's documented maximum items per v4 bulk call.
    bulkMax: readEnv(env, 'JOOR_BULK_MAX', parseInteger(1, 1000), 100),
    stylesPerPage: readEnv(env, 'CATALOG_STYLES_PER_PAGE', parseInteger(1, 1000), 100),
    idsPerAmcQuery: 50,
    cursorOverlapMs: readEnv(env, 'CATALOG_CURSOR_OVERLAP_SECONDS', parseInteger(0, 86_400), 600) * 1000,
    // A first sync of a large catalog writes ~60 links per style; every ~300 styles keeps plans right.
    analyzeEveryLinks: 20_000,
    busyRetryMs: readEnv(env, 'CATALOG_BUSY_RETRY_MS', parseInteger(100, 600_000), 15_000),
  };
}
