import { BullBoardModule } from '@bull-board/nestjs';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CANARY_QUEUE_NAMES, SYNC_QUEUE_NAMES } from '@app/contracts';
import { AppConfigModule, JobProducer, bullRootModule, observability, type AppConfig } from '@app/common';
import { PersistenceModule, PostgresHealthIndicator } from '@app/persistence';
import { SyncCoreModule, PostgresOutageWatch } from '@app/sync-core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { basicAuth } from './auth/basic-auth.middleware';
import { ConnectionControl } from './connections/connection-control.service';
import { ConnectionTestService } from './connections/connection-test.service';
import { ConnectionsController } from './connections/connections.controller';
import { GatewayCustomersModule } from './customers/gateway-customers.module';
import { MeshController } from './mesh/mesh.controller';
import { GatewayOrdersModule } from './orders/gateway-orders.module';
import { MeshService } from './mesh/mesh.service';
import { RunsController } from './runs/runs.controller';
import { ConnectionSchedules } from './sync/connection-schedules.service';
import { RunStreams } from './streams/run-streams.service';
import { StreamsController } from './streams/streams.controller';
import { SyncController } from './sync/sync.controller';
import { SyncTriggers } from './sync/sync-triggers.service';

export const BULL_BOARD_ROUTE = '/admin/queues';

@Module({})
export class GatewayModule {
  static register(config: AppConfig): DynamicModule {
    const parts = observability({ queues: SYNC_QUEUE_NAMES, extraIndicators: [PostgresHealthIndicator] });
    return {
      module: GatewayModule,
      imports: [
        AppConfigModule.register(config),
        PersistenceModule.forRoot({ databaseUrl: config.databaseUrl, applicationName: config.service, secretsKey: config.secretsKey }),
        SyncCoreModule,
        bullRootModule(config),
        ...[...SYNC_QUEUE_NAMES, ...CANARY_QUEUE_NAMES].map((name) => BullModule.registerQueue({ name })),
        BullBoardModule.forRoot({
          route: BULL_BOARD_ROUTE,
          adapter: ExpressAdapter,
          middleware: basicAuth(config.gateway.bullBoardUser, config.gateway.bullBoardPassword),
        }),
        ...SYNC_QUEUE_NAMES.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
        ...parts.imports,
        GatewayOrdersModule,
        GatewayCustomersModule,
      ],
      controllers: [...parts.controllers, ConnectionsController, RunsController, StreamsController, SyncController, MeshController],
      providers: [
        ...parts.providers,
        JobProducer,
        PostgresOutageWatch,
        MeshService,
        ConnectionSchedules,
        SyncTriggers,
        ConnectionControl,
        ConnectionTestService,
        RunStreams,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
