import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import { QUEUES } from '@app/contracts';
import { SyncCoreModule, SyncServiceModule } from '@app/sync-core';
import { CatalogSyncService } from './catalog/catalog-sync.service';
import { CATALOG_SYNC_TUNING, type CatalogSyncTuning } from './catalog/catalog-sync.tuning';
import { loadCatalogSyncTuning } from './catalog-sync.config';
import { CatalogSyncProcessor } from './processors/catalog-sync.processor';

@Module({})
export class CatalogSyncModule {
  static register(config: AppConfig, tuning: CatalogSyncTuning = loadCatalogSyncTuning()): DynamicModule {
    return {
      module: CatalogSyncModule,
      imports: [
        SyncServiceModule.register({
          config,
          queue: QUEUES.catalog,
          processor: CatalogSyncProcessor,
          imports: [SyncCoreModule],
          providers: [CatalogSyncService, { provide: CATALOG_SYNC_TUNING, useValue: tuning }],
        }),
      ],
    };
  }
}
