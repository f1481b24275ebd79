import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig, SyncServiceModule } from '@app/common';
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
