import { Global, Module } from '@nestjs/common';
import { ConnectionClients } from './connection-clients';
import { SyncRunner } from './sync-runner';

/** What every sync service (and the gateway's connection test) shares: clients per connection and the run lifecycle. */
@Global()
@Module({
  providers: [ConnectionClients, SyncRunner],
  exports: [ConnectionClients, SyncRunner],
})
export class SyncCoreModule {}
