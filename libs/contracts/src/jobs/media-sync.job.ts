import { defineRunJob, type RunJobPayload, type RunJobResult } from './job-definition';

export const MEDIA_SYNC_JOB = 'media.sync' as const;

/**
 * `media.sync`: the images of every style catalog sync has put on JOOR (style images as product
 * assets, colorway images and swatches as color-level assets), only where they changed, for one
 * connection. Producers: the gateway (`POST /connections/:id/sync/images`), catalog-sync's follow-ups
 * (the styles a catalog run read). Consumer: apps/media-sync (`MediaSyncProcessor`).
 */
export interface MediaSyncPayload extends RunJobPayload {
  /** Every style on JOOR, not only those changed since the cursor (and the due ones). */
  full?: boolean;
  /** Only these styles. */
  styleNumbers?: string[];
}

export type MediaSyncResult = RunJobResult;

export const MEDIA_SYNC = defineRunJob<MediaSyncPayload, MediaSyncResult>()({
  name: MEDIA_SYNC_JOB,
  kind: 'images',
  queue: 'media-sync',
  priority: 'media',
  // The defaults (5 attempts, exponential backoff with jitter) fit: a run is safe to repeat (the hashes, deterministic asset external ids).
  options: {},
});
