import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { SYNC_QUEUE_NAMES, type QueueName } from '@app/contracts';
import { PersistenceModule, PostgresHealthIndicator, SyncRunRepository } from '@app/persistence';
import { AppConfigModule, bullRootModule, CanaryWorker, JobProducer, observability, SYNC_PROCESSOR, WorkerHealthIndicator, WorkerLifecycle, type AppConfig, type ContractProcessor } from '@app/common';
import type { Queue } from 'bullmq';
import { PostgresOutageWatch } from './postgres-outage-watch';
import { FollowUps } from './follow-ups';
import { OrphanedRuns } from './orphaned-runs';

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
 * Everything a sync service shares: config, PostgreSQL, its BullMQ queue and worker, its canary
 * queue's worker (both started after boot, drained on shutdown), readiness including both workers,
 * metrics of its queues, `FollowUps` (with every sync queue registered, so a handler can
 * enqueue another service's job), and the sweep that ends runs whose job died without ending them.
 */
@Module({})
export class SyncServiceModule {
  static register<Q extends QueueName>(options: SyncServiceOptions<Q>): DynamicModule {
    const { config, queue, processor } = options;
    const parts = observability({ queues: [queue], extraIndicators: [PostgresHealthIndicator, WorkerHealthIndicator] });
    return {
      module: SyncServiceModule,
      imports: [
        AppConfigModule.register(config),
        PersistenceModule.forRoot({ databaseUrl: config.databaseUrl, applicationName: config.service, secretsKey: config.secretsKey }),
        bullRootModule(config),
        ...SYNC_QUEUE_NAMES.map((name) => BullModule.registerQueue({ name })),
        ...parts.imports,
        ...(options.imports ?? []),
      ],
      controllers: parts.controllers,
      providers: [
        ...parts.providers,
        processor,
        // A plain holder, not an alias: see SyncProcessorRef.
        { provide: SYNC_PROCESSOR, useFactory: (instance: ContractProcessor<Q>) => ({ processor: instance }), inject: [processor] },
        CanaryWorker,
        WorkerLifecycle,
        JobProducer,
        FollowUps,
        PostgresOutageWatch,
        { provide: OrphanedRuns, useFactory: (runs: SyncRunRepository, q: Queue) => new OrphanedRuns(runs, q, 2 * config.workerLockMs), inject: [SyncRunRepository, getQueueToken(queue)] },
        ...(options.providers ?? []),
      ],
    };
  }
}
