import { runService } from '@app/common';
import { MediaSyncModule } from './media-sync.module';

void runService({ service: 'media-sync', module: (config) => MediaSyncModule.register(config) });
