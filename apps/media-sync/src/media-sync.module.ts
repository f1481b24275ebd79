import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import { QUEUES } from '@app/contracts';
import { SyncCoreModule, SyncServiceModule } from '@app/sync-core';
import { loadMediaSyncTuning } from './media-sync.config';
import { MediaSyncService } from './media/media-sync.service';
import { MEDIA_SYNC_TUNING, type MediaSyncTuning } from './media/media-sync.tuning';
import { MediaSyncProcessor } from './processors/media-sync.processor';

@Module({})
export class MediaSyncModule {
  static register(config: AppConfig, tuning: MediaSyncTuning = loadMediaSyncTuning()): DynamicModule {
    return {
      module: MediaSyncModule,
      imports: [
        SyncServiceModule.register({
          config,
          queue: QUEUES.media,
          processor: MediaSyncProcessor,
          imports: [SyncCoreModule],
          providers: [MediaSyncService, { provide: MEDIA_SYNC_TUNING, useValue: tuning }],
        }),
      ],
    };
  }
}
