import { Module } from '@nestjs/common';
import { CustomersController } from './customers.controller';

/** The gateway's customer routes (PersistenceModule with its repositories comes from GatewayModule). */
@Module({ controllers: [CustomersController] })
export class GatewayCustomersModule {}
