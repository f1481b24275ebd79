import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import { QUEUES } from '@app/contracts';
import { SyncCoreModule, SyncServiceModule } from '@app/sync-core';
import { loadInventorySyncTuning } from './inventory-sync.config';
import { InventoryCursorMetrics } from './inventory/inventory-cursor.metrics';
import { InventorySyncService } from './inventory/inventory-sync.service';
import { INVENTORY_SYNC_TUNING, type InventorySyncTuning } from './inventory/inventory-sync.tuning';
import { InventorySyncProcessor } from './processors/inventory-sync.processor';

@Module({})
export class InventorySyncModule {
  static register(config: AppConfig, tuning: InventorySyncTuning = loadInventorySyncTuning()): DynamicModule {
    return {
      module: InventorySyncModule,
      imports: [
        SyncServiceModule.register({
          config,
          queue: QUEUES.inventory,
          processor: InventorySyncProcessor,
          imports: [SyncCoreModule],
          providers: [InventorySyncService, InventoryCursorMetrics, { provide: INVENTORY_SYNC_TUNING, useValue: tuning }],
        }),
      ],
    };
  }
}
