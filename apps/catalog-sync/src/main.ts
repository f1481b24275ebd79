// First: tracing (when the OTEL_* variables turn it on) must be in place before the modules it instruments load.
import '@app/tracing';
import { runService } from '@app/common';
import { CatalogSyncModule } from './catalog-sync.module';

void runService({ service: 'catalog-sync', module: (config) => CatalogSyncModule.register(config) });
