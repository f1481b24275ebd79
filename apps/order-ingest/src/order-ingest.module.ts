import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { type AppConfig, SyncServiceModule } from '@app/common';
import { OrderIngestProcessor } from './processors/order-ingest.processor';

@Module({})
export class OrderIngestModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: OrderIngestModule,
      imports: [SyncServiceModule.register({ config, queue: QUEUES.order, processor: OrderIngestProcessor })],
    };
  }
}
