import { Global, Module } from '@nestjs/common';
import { ConnectionClients } from './connection-clients';
import { RunRecorder } from './run-recorder';

/** What every sync service (and the gateway's connection test) shares: clients per connection and run bookkeeping. */
@Global()
@Module({
  providers: [ConnectionClients, RunRecorder],
  exports: [ConnectionClients, RunRecorder],
})
export class SyncCoreModule {}
