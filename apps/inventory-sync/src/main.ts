import { runService } from '@app/common';
import { InventorySyncModule } from './inventory-sync.module';

void runService({ service: 'inventory-sync', module: (config) => InventorySyncModule.register(config) });
