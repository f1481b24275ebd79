import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AppConfig } from '@app/common';
import { CatalogSyncModule } from '../apps/catalog-sync/src/catalog-sync.module';
import { CustomerSyncModule } from '../apps/customer-sync/src/customer-sync.module';
import { InventorySyncModule } from '../apps/inventory-sync/src/inventory-sync.module';
import { MediaSyncModule } from '../apps/media-sync/src/media-sync.module';
import { OrderIngestModule } from '../apps/order-ingest/src/order-ingest.module';

export const SYNC_SERVICE_MODULES = {
  'catalog-sync': (config: AppConfig) => CatalogSyncModule.register(config),
  'media-sync': (config: AppConfig) => MediaSyncModule.register(config),
  'inventory-sync': (config: AppConfig) => InventorySyncModule.register(config),
  'customer-sync': (config: AppConfig) => CustomerSyncModule.register(config),
  'order-ingest': (config: AppConfig) => OrderIngestModule.register(config),
} as const;

export type SyncServiceName = keyof typeof SYNC_SERVICE_MODULES;

/** A service's root module booted in-process the way main.ts boots it, listening on a free port. */
export async function startModule(module: DynamicModule): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}
