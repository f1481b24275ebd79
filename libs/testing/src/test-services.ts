/**
 * Where the e2e tests find Redis and PostgreSQL, decided once by the global setup:
 * 1. REDIS_URL / DATABASE_URL when set (CI sets them);
 * 2. else Testcontainers, when a container runtime answers;
 * 3. else the development defaults the README documents (127.0.0.1:6379, 127.0.0.1:5432), when they answer;
 * 4. else the run fails, saying what it tried.
 * DATABASE_URL must name a role that may CREATE DATABASE: every test file gets databases of its own.
 */
export interface TestServices {
  redisUrl: string;
  adminDatabaseUrl: string;
  source: string;
}

export const TEST_SERVICES_ENV = 'AMCJOOR_TEST_SERVICES';

export function testServices(): TestServices {
  const raw = process.env[TEST_SERVICES_ENV];
  if (!raw) {
    throw new Error(
      'The e2e tests need Redis and PostgreSQL, resolved by the e2e global setup. Run them through jest (npm test), ' +
        'with REDIS_URL and DATABASE_URL set, or with Docker available for Testcontainers.',
    );
  }
  return JSON.parse(raw) as TestServices;
}
