import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule, observability, type AppConfig } from '@app/common';
import { SandboxKitModule, SandboxPostgresHealthIndicator } from '@app/sandbox-kit';
import { AmcApiController } from './api/amc-api.controller';
import { errorEnvelope } from './api/amc-envelope';
import { AmcStockService } from './api/amc-stock.service';
import { AmcWritesService } from './api/amc-writes.service';
import { loadAmcSandboxConfig, type AmcSandboxConfig } from './amc-sandbox.config';
import { AMC_SANDBOX_CONFIG } from './amc-sandbox.tokens';
import { ImagesController } from './images/images.controller';
import { AmcOrdersService } from './orders/amc-orders.service';
import { SandboxController } from './sandbox/sandbox.controller';
import { SandboxSettingsService } from './sandbox/sandbox-settings.service';
import { AmcSeedService } from './seed/amc-seed.service';
import { AMC_SCHEMA } from './store/amc-schema.sql';
import { AmcStoreRepository } from './store/amc-store.repository';

/** The AMC stand-in: AMC's API over state kept in PostgreSQL schema `amc_sandbox`. */
@Module({})
export class AmcSandboxModule {
  static register(config: AppConfig, sandbox: AmcSandboxConfig = loadAmcSandboxConfig()): DynamicModule {
    const parts = observability({ queues: [], redis: false, extraIndicators: [SandboxPostgresHealthIndicator] });
    return {
      module: AmcSandboxModule,
      imports: [
        AppConfigModule.register(config),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.databaseUrl,
          schema: AMC_SCHEMA,
          synchronize: false,
          entities: [],
          applicationName: config.service,
          extra: { connectionTimeoutMillis: 3_000 },
          retryAttempts: 5,
          retryDelay: 1_000,
        }),
        // Injected 429/5xx answer in AMC's envelope, so a client sees what the real one would send.
        SandboxKitModule.forRoot({ faultSeed: sandbox.faultSeed, controlRoutes: sandbox.controlRoutes, errorBody: (_status, message) => errorEnvelope([message]) }),
        ...parts.imports,
      ],
      controllers: [...parts.controllers, AmcApiController, ...(sandbox.controlRoutes ? [SandboxController] : []), ImagesController],
      providers: [
        ...parts.providers,
        { provide: AMC_SANDBOX_CONFIG, useValue: sandbox },
        AmcStoreRepository,
        SandboxSettingsService,
        AmcSeedService,
        AmcOrdersService,
        AmcWritesService,
        AmcStockService,
      ],
    };
  }
}
