import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig } from '@app/common';
import { SyncServiceModule } from '@app/sync-core';
import { InventorySyncProcessor } from './processors/inventory-sync.processor';

@Module({})
export class InventorySyncModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: InventorySyncModule,
      imports: [SyncServiceModule.register({ config, queue: QUEUES.inventory, processor: InventorySyncProcessor })],
    };
  }
}
