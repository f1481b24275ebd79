import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import { QUEUES } from '@app/contracts';
import { SyncCoreModule, SyncServiceModule } from '@app/sync-core';
import { loadCustomerSyncTuning } from './customer-sync.config';
import { CustomerSyncService } from './customers/customer-sync.service';
import { CUSTOMER_SYNC_TUNING, type CustomerSyncTuning } from './customers/customer-sync.tuning';
import { CustomerSyncProcessor } from './processors/customer-sync.processor';

@Module({})
export class CustomerSyncModule {
  static register(config: AppConfig, tuning: CustomerSyncTuning = loadCustomerSyncTuning()): DynamicModule {
    return {
      module: CustomerSyncModule,
      imports: [
        SyncServiceModule.register({
          config,
          queue: QUEUES.customer,
          processor: CustomerSyncProcessor,
          imports: [SyncCoreModule],
          providers: [CustomerSyncService, { provide: CUSTOMER_SYNC_TUNING, useValue: tuning }],
        }),
      ],
    };
  }
}
