// First: tracing (when the OTEL_* variables turn it on) must be in place before the modules it instruments load.
import '@app/tracing';
import { runService } from '@app/common';
import { CustomerSyncModule } from './customer-sync.module';

void runService({ service: 'customer-sync', module: (config) => CustomerSyncModule.register(config) });
