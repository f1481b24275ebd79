import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AmcSandboxModule } from '../../../apps/amc-sandbox/src/amc-sandbox.module';
import { loadAmcSandboxConfig } from '../../../apps/amc-sandbox/src/amc-sandbox.config';
import { testConfig } from './test-config';

export const AMC_SANDBOX_TEST_TOKEN = 'amc-test-token-0001';

export interface AmcSandboxApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`: the base URL an AMC connection would name. */
  url: string;
  token: string;
  /** POST /_sandbox/seed. */
  seed(options: { styles: number; seed: number; customers?: number; orders?: number }): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The AMC sandbox booted in this process on a free port, against `databaseUrl` (its state lives in
 * schema `amc_sandbox` there). Starts empty unless `env.AMC_SANDBOX_SEED_STYLES` says otherwise.
 */
export async function startAmcSandbox(databaseUrl: string, env: Record<string, string> = {}): Promise<AmcSandboxApp> {
  const config = testConfig('amc-sandbox', { databaseUrl, queuePrefix: 'amc-sandbox' });
  const sandbox = loadAmcSandboxConfig({ AMC_SANDBOX_TOKEN: AMC_SANDBOX_TEST_TOKEN, AMC_SANDBOX_SEED_STYLES: '0', ...env });
  const app = await NestFactory.create(AmcSandboxModule.register(config, sandbox), { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app,
    url,
    token: sandbox.token,
    async seed(options) {
      const res = await fetch(`${url}/_sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) });
      if (res.status !== 200) throw new Error(`seeding the AMC sandbox answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { counts: Record<string, number> }).counts;
    },
    close: () => app.close(),
  };
}
