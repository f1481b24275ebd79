import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig, SyncServiceModule } from '@app/common';
import { EntityLinkRepository } from '@app/persistence/repositories/entity-link.repository';
import { SyncCursorRepository } from '@app/persistence/repositories/sync-cursor.repository';
import { SyncDueRepository } from '@app/persistence/repositories/sync-due.repository';
import { SyncCoreModule } from '@app/sync-core';
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
          providers: [EntityLinkRepository, SyncCursorRepository, SyncDueRepository, CatalogSyncService, { provide: CATALOG_SYNC_TUNING, useValue: tuning }],
        }),
      ],
    };
  }
}
