import { DynamicModule, Global, Module } from '@nestjs/common';
import { METRICS_QUEUES, MetricsService } from './metrics.service';

/**
 * A service's one MetricsService, global so the libraries' providers (the SyncRunner of sync-core,
 * a service's gauge sources) count into the registry its `/metrics` serves.
 */
@Global()
@Module({})
export class MetricsModule {
  static register(queues: readonly string[]): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: METRICS_QUEUES, useValue: [...queues] }, MetricsService],
      exports: [MetricsService],
    };
  }
}
