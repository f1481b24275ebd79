// First: tracing (when the OTEL_* variables turn it on) must be in place before the modules it instruments load.
import '@app/tracing';
import { runService } from '@app/common';
import { InventorySyncModule } from './inventory-sync.module';

void runService({ service: 'inventory-sync', module: (config) => InventorySyncModule.register(config) });
