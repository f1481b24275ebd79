import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig, SyncServiceModule } from '@app/common';
import { CatalogSyncProcessor } from './processors/catalog-sync.processor';

@Module({})
export class CatalogSyncModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CatalogSyncModule,
      imports: [SyncServiceModule.register({ config, queue: QUEUES.catalog, processor: CatalogSyncProcessor })],
    };
  }
}
