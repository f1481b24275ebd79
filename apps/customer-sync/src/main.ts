import { runService } from '@app/common';
import { CustomerSyncModule } from './customer-sync.module';

void runService({ service: 'customer-sync', module: (config) => CustomerSyncModule.register(config) });
