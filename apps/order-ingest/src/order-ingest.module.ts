import { DynamicModule, Module, type Provider } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import { QUEUES } from '@app/contracts';
import { SyncCoreModule, SyncServiceModule } from '@app/sync-core';
import { ORDER_INGEST_CONFIG, loadOrderIngestConfig, type OrderIngestConfig } from './order-ingest.config';
import { ExportStatusWriter } from './orders/export-status.writer';
import { INGEST_HOOKS, NO_INGEST_HOOKS, type IngestHooks } from './orders/ingest-hooks';
import { OrderIngestor } from './orders/order-ingestor';
import { OrderPollLagMetrics } from './orders/order-poll-lag.metrics';
import { OrderPollService } from './orders/order-poll.service';
import { OrderIngestProcessor } from './processors/order-ingest.processor';

@Module({})
export class OrderIngestModule {
  /** `hooks`: the no-op in production; a test's main installs its own (see test/halting-order-ingest.main.ts). */
  static register(config: AppConfig, orders: OrderIngestConfig = loadOrderIngestConfig({}), hooks: IngestHooks = NO_INGEST_HOOKS): DynamicModule {
    const providers: Provider[] = [
      { provide: ORDER_INGEST_CONFIG, useValue: orders },
      { provide: INGEST_HOOKS, useValue: hooks },
      OrderIngestor,
      ExportStatusWriter,
      OrderPollService,
      OrderPollLagMetrics,
    ];
    return {
      module: OrderIngestModule,
      imports: [SyncServiceModule.register({ config, queue: QUEUES.order, processor: OrderIngestProcessor, imports: [SyncCoreModule], providers })],
    };
  }
}
