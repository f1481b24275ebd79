import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig } from '@app/common';
import { SyncServiceModule } from '@app/sync-core';
import { MediaSyncProcessor } from './processors/media-sync.processor';

@Module({})
export class MediaSyncModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: MediaSyncModule,
      imports: [SyncServiceModule.register({ config, queue: QUEUES.media, processor: MediaSyncProcessor })],
    };
  }
}
