import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureJoorSandbox } from '../../../apps/joor-sandbox/src/configure-joor-sandbox';
import { JOOR_SANDBOX_DEV_CREDENTIALS, loadJoorSandboxConfig, type JoorSandboxConfig } from '../../../apps/joor-sandbox/src/joor-sandbox.config';
import { JoorSandboxModule } from '../../../apps/joor-sandbox/src/joor-sandbox.module';
import { decodeId, encodeId, type IdType } from '../../../apps/joor-sandbox/src/shared/joor-dialect';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testConfig } from './test-config';

export { JOOR_SANDBOX_DEV_CREDENTIALS };

/**
 * Ids of a sandbox in the opaque dialect (`JOOR_SANDBOX_ID_STYLE=opaque`), for tests that compare
 * what the API shows with the numeric `/_sandbox/*` state: `opaque('Product', 5)` is base64 of
 * `Product:5`; `internal('Product', id)` the number an opaque id stands for (null if it is none).
 */
export const joorSandboxIds = {
  opaque: (type: IdType, n: number | string): string => encodeId(type, n),
  internal: (type: IdType, id: string): number | null => {
    const raw = decodeId(type, id);
    return raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
  },
};

/** A JOOR sandbox running in the test's process on a free port, over a database of its own. */
export interface JoorSandboxHarness {
  url: string;
  config: JoorSandboxConfig;
  database: TestDatabase;
  /** The seeded JOOR account id. */
  accountId: string;
  /** Stops and starts the app over the same database (state must survive). */
  restart(): Promise<void>;
  /** Re-seeds (`POST /_sandbox/seed`); the account id follows the seed. */
  seed(options: { styles: number; seed: number; orders?: number; customers?: number }): Promise<{ accountId: string; orders: number; connections: number; warehouses: string[] }>;
  /** Calls a `/_sandbox/...` control route. */
  control<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

async function boot(databaseUrl: string, sandbox: JoorSandboxConfig, port: number): Promise<INestApplication> {
  const config = testConfig('joor-sandbox', { databaseUrl, queuePrefix: 'joor-sandbox' });
  const app = await NestFactory.create(JoorSandboxModule.register(config, sandbox), { logger: process.env.JOOR_SANDBOX_TEST_LOGS ? ['error', 'warn'] : false });
  configureJoorSandbox(app);
  await app.listen(port, '127.0.0.1');
  return app;
}

/**
 * `env` takes the sandbox's JOOR_SANDBOX_* variables: a short credit window, say, or a dialect
 * (`JOOR_SANDBOX_ID_STYLE: 'opaque'`, `JOOR_SANDBOX_V2_ENVELOPE: 'wrapped'`).
 */
export async function startJoorSandbox(label: string, env: Record<string, string> = {}): Promise<JoorSandboxHarness> {
  const database = await createTestDatabase(`joor_${label}`, { migrate: false });
  const config = loadJoorSandboxConfig({ JOOR_SANDBOX_SEED_STYLES: '5', JOOR_SANDBOX_FETCH_ASSETS: 'false', ...env });
  let app: INestApplication;
  try {
    app = await boot(database.url, config, 0);
  } catch (err) {
    await database.drop();
    throw err;
  }
  const port = Number(new URL(await app.getUrl()).port);
  const url = `http://127.0.0.1:${port}`;
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/_sandbox/${path.replace(/^\//, '')}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_sandbox/${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const harness: JoorSandboxHarness = {
    url,
    config,
    database,
    accountId: (await control('GET', 'state')).accountId,
    control,
    async seed(options) {
      const summary = await control('POST', 'seed', options);
      harness.accountId = summary.accountId;
      return summary;
    },
    async restart() {
      await app.close();
      app = await boot(database.url, config, port);
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
  return harness;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** Plain HTTP against a JOOR sandbox, as any JOOR integrator would speak it (no client library). */
export class JoorRaw {
  private accessToken: string | null = null;

  constructor(private readonly sb: Pick<JoorSandboxHarness, 'url' | 'accountId' | 'config'>) {}

  async auth(fields: Record<string, string> = {}): Promise<RawAnswer> {
    const form = new FormData();
    const defaults = { client_id: this.sb.config.clientId, client_secret: this.sb.config.clientSecret, username: this.sb.config.username, password: this.sb.config.password, grant_type: 'password' };
    for (const [key, value] of Object.entries({ ...defaults, ...fields })) form.set(key, value);
    const res = await fetch(`${this.sb.url}/auth/`, { method: 'POST', body: form });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  async token(): Promise<string> {
    if (!this.accessToken) {
      const answer = await this.auth();
      if (answer.status !== 200) throw new Error(`auth failed: ${JSON.stringify(answer.body)}`);
      this.accessToken = answer.body.access_token as string;
    }
    return this.accessToken;
  }

  async v4(method: string, path: string, body?: unknown, query: Record<string, string> = {}, token?: string): Promise<RawAnswer> {
    const url = new URL(`${this.sb.url}/v4${path}`);
    url.searchParams.set('account', this.sb.accountId);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token ?? (await this.token())}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async v2(method: string, path: string, body?: unknown, query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<RawAnswer> {
    const url = new URL(`${this.sb.url}/v2${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const res = await fetch(url, {
      method,
      headers: { authorization: `OAuth2 ${Buffer.from(this.sb.config.v2Token).toString('base64')}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
}
