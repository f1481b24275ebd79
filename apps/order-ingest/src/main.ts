// First: tracing (when the OTEL_* variables turn it on) must be in place before the modules it instruments load.
import '@app/tracing';
import { runService } from '@app/common';
import { loadOrderIngestConfig } from './order-ingest.config';
import { OrderIngestModule } from './order-ingest.module';

void runService({ service: 'order-ingest', module: (config) => OrderIngestModule.register(config, loadOrderIngestConfig()) });
