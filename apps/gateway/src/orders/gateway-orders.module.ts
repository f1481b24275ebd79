import { Module } from '@nestjs/common';
import { JobProducer } from '@app/common';
import { OrderLedgerRepository } from '@app/persistence/repositories/order-ledger.repository';
import { OrdersController } from './orders.controller';

/** The gateway's order-ledger routes (PersistenceModule, SyncCoreModule and the queues come from GatewayModule). */
@Module({
  controllers: [OrdersController],
  providers: [OrderLedgerRepository, JobProducer],
})
export class GatewayOrdersModule {}
