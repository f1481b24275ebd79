import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import type { QueueName } from '@app/contracts';
import { PersistenceModule } from '@app/persistence';
import { AppConfigModule, bullRootModule, observability, SYNC_PROCESSOR, WorkerHealthIndicator, WorkerLifecycle, type AppConfig, type ContractProcessor } from '@app/common';

export interface SyncServiceOptions<Q extends QueueName> {
  config: AppConfig;
  queue: Q;
  processor: Type<ContractProcessor<Q>>;
  /** Modules the service's handlers need (e.g. SyncCoreModule). */
  imports?: Array<DynamicModule | Type<unknown>>;
  /** The service's own providers (services, clients, repositories) its handlers use. */
  providers?: Provider[];
}

/**
 * Everything a sync service shares: config, PostgreSQL, its BullMQ queue and worker (started
 * after boot, drained on shutdown), readiness including the worker, and metrics of its queue.
 */
@Module({})
export class SyncServiceModule {
  static register<Q extends QueueName>(options: SyncServiceOptions<Q>): DynamicModule {
    const { config, queue, processor } = options;
    const parts = observability({ queues: [queue], extraIndicators: [WorkerHealthIndicator] });
    return {
      module: SyncServiceModule,
      imports: [
        AppConfigModule.register(config),
        PersistenceModule.forRoot({ databaseUrl: config.databaseUrl, applicationName: config.service, secretsKey: config.secretsKey }),
        bullRootModule(config),
        BullModule.registerQueue({ name: queue }),
        ...parts.imports,
        ...(options.imports ?? []),
      ],
      controllers: parts.controllers,
      providers: [
        ...parts.providers,
        processor,
        { provide: SYNC_PROCESSOR, useExisting: processor },
        WorkerLifecycle,
        ...(options.providers ?? []),
      ],
    };
  }
}
