import { runService } from '@app/common';
import { CatalogSyncModule } from './catalog-sync.module';

void runService({ service: 'catalog-sync', module: (config) => CatalogSyncModule.register(config) });
