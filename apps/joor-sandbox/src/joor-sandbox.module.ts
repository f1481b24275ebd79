import { DynamicModule, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule, observability, type AppConfig } from '@app/common';
import { SandboxKitModule, SandboxPostgresHealthIndicator } from '@app/sandbox-kit';
import { ApiGateMiddleware } from './auth/api-gate.middleware';
import { AuthController } from './auth/auth.controller';
import { TokenService } from './auth/token.service';
import type { JoorSandboxConfig } from './joor-sandbox.config';
import { JOOR_SANDBOX_CONFIG } from './joor-sandbox.tokens';
import { CreditLimiter } from './limits/credit-limiter';
import { SandboxController } from './sandbox/sandbox.controller';
import { JoorExceptionFilter } from './shared/joor-exception.filter';
import { JOOR_SANDBOX_SCHEMA } from './store/joor-sandbox.schema';
import { MetaRepository } from './store/meta.repository';
import { SandboxDb } from './store/sandbox-db';
import { SandboxStateService } from './store/sandbox-state.service';
import { ConnectionsService } from './v2/connections.service';
import { InventoryService } from './v2/inventory.service';
import { LegacyController } from './v2/legacy.controller';
import { AssetsService } from './v4/assets.service';
import { CatalogController } from './v4/catalog.controller';
import { CatalogService } from './v4/catalog.service';
import { CollectionsService } from './v4/collections.service';
import { CommerceController } from './v4/commerce.controller';
import { OrdersService } from './v4/orders.service';

const API_CONTROLLERS = [CatalogController, CommerceController, LegacyController];

/** The JOOR API stand-in: v4 + v2 + the atlas token endpoint, JOOR's credit limit, state in PostgreSQL. */
@Module({})
export class JoorSandboxModule implements NestModule {
  static register(config: AppConfig, sandbox: JoorSandboxConfig): DynamicModule {
    const parts = observability({ queues: [], redis: false, extraIndicators: [SandboxPostgresHealthIndicator] });
    return {
      module: JoorSandboxModule,
      imports: [
        AppConfigModule.register(config),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.databaseUrl,
          schema: JOOR_SANDBOX_SCHEMA,
          synchronize: false,
          entities: [],
          applicationName: config.service,
          // A database that is briefly away must not crash-loop the sandbox: retry, then fail the boot.
          retryAttempts: 5,
          retryDelay: 1_000,
        }),
        SandboxKitModule.forRoot({
          faultSeed: sandbox.faultSeed,
          timeoutMs: sandbox.faultTimeoutMs,
          slowMs: sandbox.faultSlowMs,
          controlRoutes: sandbox.controlRoutes,
          errorBody: (status, message) => ({ data: null, errors: [{ status: status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR', message, details: {} }] }),
        }),
        ...parts.imports,
      ],
      controllers: [...parts.controllers, AuthController, ...API_CONTROLLERS, ...(sandbox.controlRoutes ? [SandboxController] : [])],
      providers: [
        ...parts.providers,
        { provide: JOOR_SANDBOX_CONFIG, useValue: sandbox },
        { provide: APP_FILTER, useClass: JoorExceptionFilter },
        SandboxDb,
        MetaRepository,
        TokenService,
        CreditLimiter,
        ApiGateMiddleware,
        CatalogService,
        CollectionsService,
        AssetsService,
        OrdersService,
        InventoryService,
        ConnectionsService,
        SandboxStateService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ApiGateMiddleware).forRoutes(...API_CONTROLLERS);
  }
}
