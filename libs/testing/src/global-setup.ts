import { tcpReachable as answers } from '../../util/src/net';
import { TEST_SERVICES_ENV, type TestServices } from './test-services';

const LOCAL_REDIS = 'redis://127.0.0.1:6379';
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

declare global {
  var __AMCJOOR_CONTAINERS__: Array<{ stop(): Promise<unknown> }> | undefined;
}

async function fromContainers(): Promise<TestServices | string> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch (err) {
    return `no container runtime for Testcontainers (${(err as Error).message.split('\n')[0]})`;
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [redis, postgres] = await Promise.all([new RedisContainer('redis:7-alpine').start(), new PostgreSqlContainer('postgres:16-alpine').start()]);
  globalThis.__AMCJOOR_CONTAINERS__ = [redis, postgres];
  return { redisUrl: redis.getConnectionUrl(), adminDatabaseUrl: postgres.getConnectionUri(), source: 'Testcontainers' };
}

export default async function globalSetup(): Promise<void> {
  const tried: string[] = [];
  let services: TestServices | undefined;
  if (process.env.REDIS_URL && process.env.DATABASE_URL) {
    services = { redisUrl: process.env.REDIS_URL, adminDatabaseUrl: process.env.DATABASE_URL, source: 'REDIS_URL/DATABASE_URL' };
  } else {
    tried.push('REDIS_URL and DATABASE_URL are not both set');
    const containers = await fromContainers();
    if (typeof containers !== 'string') services = containers;
    else {
      tried.push(containers);
      if ((await answers(LOCAL_REDIS, 6379)) && (await answers(LOCAL_POSTGRES, 5432))) {
        services = { redisUrl: LOCAL_REDIS, adminDatabaseUrl: LOCAL_POSTGRES, source: 'local development defaults' };
      } else tried.push(`nothing answers at ${LOCAL_REDIS} and ${LOCAL_POSTGRES}`);
    }
  }
  if (!services) {
    throw new Error(`The e2e tests need a real Redis and PostgreSQL and found none:\n - ${tried.join('\n - ')}\nSet REDIS_URL and DATABASE_URL (a role allowed to CREATE DATABASE), or start Docker.`);
  }
  for (const [what, url, port] of [
    ['Redis', services.redisUrl, 6379],
    ['PostgreSQL', services.adminDatabaseUrl, 5432],
  ] as const) {
    if (!(await answers(url, port))) throw new Error(`${what} at ${url.replace(/:[^:@/]+@/, ':***@')} does not answer`);
  }
  process.env[TEST_SERVICES_ENV] = JSON.stringify(services);
  process.stdout.write(`\ne2e tests use Redis and PostgreSQL from ${services.source}\n`);
}
