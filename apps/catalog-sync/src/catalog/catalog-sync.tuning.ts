export const CATALOG_SYNC_TUNING = Symbol('CATALOG_SYNC_TUNING');

export interface CatalogSyncTuning {
  /** Items per JOOR bulk call: JOOR's documented maximum. */
  bulkMax: number;
  /** Styles read from AMC per page: one page of styles fills about one products bulk call. */
  stylesPerPage: number;
  /** Ids per AMC OR-filter query: keeps the query string near 5 kB. */
  idsPerAmcQuery: number;
  /** The delta re-reads this far before the last run's start: AMC's clock may differ from ours, and writes land while we read. */
  cursorOverlapMs: number;
  /** Links written before the first refresh of entity_link's planner statistics, then at every doubling (see EntityLinkRepository.refreshStatistics). */
  analyzeEveryLinks: number;
  /** How soon a manual run that found another run of its connection going looks again. */
  busyRetryMs: number;
}
