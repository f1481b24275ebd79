import { Global, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { configureGateway } from '../../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { GatewayOrdersModule } from '../../../apps/gateway/src/orders/gateway-orders.module';
import { SCHEDULE_MINUTE_MS } from '../../../apps/gateway/src/sync/connection-schedules.service';
import { loadOrderIngestConfig } from '../../../apps/order-ingest/src/order-ingest.config';
import { OrderIngestModule } from '../../../apps/order-ingest/src/order-ingest.module';
import { testConfig } from './test-config';

export interface OrdersAppEnv {
  databaseUrl: string;
  queuePrefix: string;
  /** Base variables (JOOR_CREDITS_PER_WINDOW, ...). */
  extra?: Record<string, string>;
}

/** Order-ingest booted in this process as main.ts boots it; `orders` takes its ORDER_INGEST_* variables. */
export async function startOrderIngestApp(env: OrdersAppEnv, orders: Record<string, string> = {}): Promise<INestApplication> {
  const config = testConfig('order-ingest', env);
  const app = await NestFactory.create(OrderIngestModule.register(config, loadOrderIngestConfig({ NODE_ENV: 'test', ...orders })), {
    logger: process.env.ORDERS_TEST_LOGS ? ['error', 'warn', 'log'] : false,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  return app;
}

/**
 * The gateway with the order-ledger routes (GatewayOrdersModule, until GatewayModule imports it) and
 * a scheduled "minute" of `minuteMs`, so a test can watch a schedule fire by itself.
 */
export async function startOrdersGateway(env: OrdersAppEnv, minuteMs = 60_000): Promise<{ app: INestApplication; url: string }> {
  @Global()
  @Module({ providers: [{ provide: SCHEDULE_MINUTE_MS, useValue: minuteMs }], exports: [SCHEDULE_MINUTE_MS] })
  class ScheduleMinuteModule {}

  const config = testConfig('gateway', env);
  const moduleRef = await Test.createTestingModule({ imports: [ScheduleMinuteModule, GatewayModule.register(config), GatewayOrdersModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureGateway(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}
