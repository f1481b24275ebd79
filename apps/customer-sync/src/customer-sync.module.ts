import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig } from '@app/common';
import { SyncServiceModule } from '@app/sync-core';
import { CustomerSyncProcessor } from './processors/customer-sync.processor';

@Module({})
export class CustomerSyncModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CustomerSyncModule,
      imports: [SyncServiceModule.register({ config, queue: QUEUES.customer, processor: CustomerSyncProcessor })],
    };
  }
}
