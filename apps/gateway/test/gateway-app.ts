import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppLogger, useAppLogging, type AppConfig } from '@app/common';
import { configureGateway } from '../src/configure-gateway';
import { GatewayModule } from '../src/gateway.module';

/** The gateway as main.ts builds it, in-process on a free port; `logs` collects what it logs. */
export async function startGateway(config: AppConfig): Promise<{ app: INestApplication; url: string; logs: string[] }> {
  const logs: string[] = [];
  const moduleRef = await Test.createTestingModule({ imports: [GatewayModule.register(config)] }).compile();
  const logger = new AppLogger({ service: 'gateway', level: 'debug', sink: (line) => logs.push(line) });
  const app = moduleRef.createNestApplication({ logger });
  useAppLogging(app, logger);
  configureGateway(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), logs };
}
