import { loadConfig, type AppConfig, type ServiceName } from '@app/common';
import { testServices } from './test-services';

export const TEST_API_KEY = 'test-api-key-0123456789';
export const TEST_BOARD_USER = 'board';
export const TEST_BOARD_PASSWORD = 'board-password-123';

/** A validated config for one service, pointing at the test's database and queue prefix. */
export function testConfig(service: ServiceName, env: { databaseUrl: string; queuePrefix: string; redisUrl?: string; extra?: Record<string, string> }): AppConfig {
  return loadConfig(service, {
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: env.redisUrl ?? testServices().redisUrl,
    DATABASE_URL: env.databaseUrl,
    QUEUE_PREFIX: env.queuePrefix,
    GATEWAY_API_KEY: TEST_API_KEY,
    BULL_BOARD_USER: TEST_BOARD_USER,
    BULL_BOARD_PASSWORD: TEST_BOARD_PASSWORD,
    LOG_LEVEL: 'error',
    HEALTH_CHECK_TIMEOUT_MS: '500',
    SHUTDOWN_TIMEOUT_MS: '5000',
    MESH_CANARY_TIMEOUT_MS: '2000',
    // No background mesh probe: a test that wants one sets it, so the others see no canary they did not send.
    MESH_PROBE_INTERVAL_MS: '0',
    ...(env.extra ?? {}),
  });
}

/** The same settings as environment variables, for services started as real processes. */
export function testProcessEnv(service: ServiceName, env: { databaseUrl: string; queuePrefix: string; port: number; extra?: Record<string, string> }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    PORT: String(env.port),
    REDIS_URL: testServices().redisUrl,
    DATABASE_URL: env.databaseUrl,
    QUEUE_PREFIX: env.queuePrefix,
    GATEWAY_API_KEY: TEST_API_KEY,
    BULL_BOARD_USER: TEST_BOARD_USER,
    BULL_BOARD_PASSWORD: TEST_BOARD_PASSWORD,
    LOG_LEVEL: 'info',
    ...(env.extra ?? {}),
    SERVICE_UNDER_TEST: service,
  };
}
