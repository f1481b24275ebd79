import { parseInteger, readEnv } from '@app/common';
import type { MediaSyncTuning } from './media/media-sync.tuning';

/** media-sync's own settings (the base ones come from loadConfig('media-sync')). */
export function loadMediaSyncTuning(env: NodeJS.ProcessEnv = process.env): MediaSyncTuning {
  return {
    stylesPerPage: readEnv(env, 'MEDIA_STYLES_PER_PAGE', parseInteger(1, 1_000), 100),
    // JOOR's bulk maximum (the client's and the sandbox's): a fuller call is refused.
    assetsPerCall: readEnv(env, 'MEDIA_ASSETS_PER_CALL', parseInteger(1, 100), 100),
    // HEADs are small; 8 at once keeps a page's few hundred images to a second or two without pressing the brand's image host.
    probeConcurrency: readEnv(env, 'MEDIA_PROBE_CONCURRENCY', parseInteger(1, 64), 8),
    probeTimeoutMs: readEnv(env, 'MEDIA_PROBE_TIMEOUT_MS', parseInteger(100, 120_000), 10_000),
    cursorOverlapMs: readEnv(env, 'MEDIA_CURSOR_OVERLAP_SECONDS', parseInteger(0, 86_400), 120) * 1000,
    busyRetryMs: readEnv(env, 'MEDIA_BUSY_RETRY_MS', parseInteger(100, 600_000), 5_000),
  };
}
