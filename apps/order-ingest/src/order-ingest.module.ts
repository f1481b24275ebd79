import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig } from '@app/common';
import { SyncServiceModule } from '@app/sync-core';
import { OrderLedgerRepository } from '@app/persistence';
import { SyncCoreModule } from '@app/sync-core';
import { ORDER_INGEST_CONFIG, loadOrderIngestConfig, type OrderIngestConfig } from './order-ingest.config';
import { OrderPollService } from './orders/order-poll.service';
import { OrderIngestProcessor } from './processors/order-ingest.processor';

@Module({})
export class OrderIngestModule {
  static register(config: AppConfig, orders: OrderIngestConfig = loadOrderIngestConfig({})): DynamicModule {
    return {
      module: OrderIngestModule,
      imports: [
        SyncServiceModule.register({
          config,
          queue: QUEUES.order,
          processor: OrderIngestProcessor,
          imports: [SyncCoreModule],
          providers: [{ provide: ORDER_INGEST_CONFIG, useValue: orders }, OrderLedgerRepository, OrderPollService],
        }),
      ],
    };
  }
}
