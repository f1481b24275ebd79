import { Global, Module } from '@nestjs/common';
import { MeshEventsModule } from '@app/common';
import { BudgetMetrics } from './budget-metrics';
import { ConnectionClients } from './connection-clients';
import { RunCancellation } from './run-cancellation';
import { SyncRunner } from './sync-runner';

/**
 * What every sync service (and the gateway) shares: clients per connection, the run lifecycle, the
 * mesh's events (the runs' news out, the connections' pauses in) and the cancellation of runs.
 */
@Global()
@Module({
  imports: [MeshEventsModule],
  providers: [ConnectionClients, SyncRunner, RunCancellation, BudgetMetrics],
  exports: [ConnectionClients, SyncRunner, RunCancellation, MeshEventsModule],
})
export class SyncCoreModule {}
