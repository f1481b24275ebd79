import { Global, Module } from '@nestjs/common';
import { ConnectionClients } from './connection-clients';

/** What every sync service (and the gateway's connection test) shares: clients per connection and run bookkeeping. */
@Global()
@Module({
  providers: [ConnectionClients],
  exports: [ConnectionClients],
})
export class SyncCoreModule {}
