import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RedisCreditBudget } from '@app/joor-budget';
import { testServices } from '@app/testing';
import { SecretCipher } from '@app/util';
import { startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';
import { JoorClient, joorSandboxUrls, type JoorCallEvent, type JoorClientOptions } from '../src';

/** A sandbox, a Redis of the test's own key prefix, the real credit budget, and clients against them. */
export interface ClientFixture {
  sb: JoorSandboxHarness;
  redis: Redis;
  budget: RedisCreditBudget;
  /** The key prefix of this fixture's Redis keys (tokens, budget). */
  prefix: string;
  events: JoorCallEvent[];
  client(overrides?: Partial<JoorClientOptions>): JoorClient;
  close(): Promise<void>;
}

export async function clientFixture(label: string, sandboxEnv: Record<string, string> = {}): Promise<ClientFixture> {
  const sb = await startJoorSandbox(label, sandboxEnv);
  const prefix = `t-joorc-${label}-${randomBytes(3).toString('hex')}:`;
  const redis = new Redis(testServices().redisUrl, { maxRetriesPerRequest: 2 });
  const budget = new RedisCreditBudget(redis, { creditsPerWindow: sb.config.creditsPerWindow, windowMs: sb.config.windowSeconds * 1000, keyPrefix: `${prefix}budget` });
  const events: JoorCallEvent[] = [];
  const tokenCipher = new SecretCipher(randomBytes(32));
  return {
    sb,
    redis,
    budget,
    prefix,
    events,
    client: (overrides = {}) =>
      new JoorClient({
        accountId: sb.accountId,
        urls: joorSandboxUrls(sb.url),
        credentials: { clientId: sb.config.clientId, clientSecret: sb.config.clientSecret, username: sb.config.username, password: sb.config.password, v2Token: sb.config.v2Token },
        redis,
        tokenCipher,
        budget,
        priority: 'catalog',
        keyPrefix: prefix,
        timeoutMs: 5_000,
        // Short waits keep the fault tests quick; the policy's shape is what is under test.
        retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 500 },
        bulkMax: sb.config.bulkMax,
        onEvent: (event) => events.push(event),
        ...overrides,
      }),
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await sb.close();
    },
  };
}
