export const MEDIA_SYNC_TUNING = Symbol('MEDIA_SYNC_TUNING');

export interface MediaSyncTuning {
  /** Styles read from AMC and looked at per batch. */
  stylesPerPage: number;
  /** Assets per v4 bulk asset call (5 credits each), filled as far as JOOR takes them. */
  assetsPerCall: number;
  /** Image servers asked at once (HEADs, never whole files). */
  probeConcurrency: number;
  /** How long an image server may take to answer a HEAD. */
  probeTimeoutMs: number;
  /** The delta re-reads this far before the last run's start: AMC's clock may differ from ours, and writes land while we read. */
  cursorOverlapMs: number;
  /** How soon a manual or follow-up run that found another images run of its connection going looks again. */
  busyRetryMs: number;
}
