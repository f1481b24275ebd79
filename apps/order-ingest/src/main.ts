import { runService } from '@app/common';
import { loadOrderIngestConfig } from './order-ingest.config';
import { OrderIngestModule } from './order-ingest.module';

void runService({ service: 'order-ingest', module: (config) => OrderIngestModule.register(config, loadOrderIngestConfig()) });
