import { Module } from '@nestjs/common';
import { JobProducer } from '@app/common';
import { OrdersController } from './orders.controller';

/** The gateway's order-ledger routes (PersistenceModule with its repositories, SyncCoreModule and the queues come from GatewayModule). */
@Module({
  controllers: [OrdersController],
  providers: [JobProducer],
})
export class GatewayOrdersModule {}
