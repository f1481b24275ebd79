// First: tracing (when the OTEL_* variables turn it on) must be in place before the modules it instruments load.
import '@app/tracing';
import { runService } from '@app/common';
import { MediaSyncModule } from './media-sync.module';

void runService({ service: 'media-sync', module: (config) => MediaSyncModule.register(config) });
