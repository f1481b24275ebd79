import { DEV_DEFAULTS } from '@app/common';
import { runMigrations } from '@app/persistence';
import { testServices } from '@app/testing';
import { freePort } from '@app/util';
import { Proc, sleep } from '../scripts/bench-kit';
import { PrivatePostgres, PrivateRedis, type RestartableStore } from '../scripts/chaos/private-stores';

/**
 * A store restart as the operator sees it in the logs: the gateway and a sync service (built, as
 * processes, on a Redis and a PostgreSQL of the test's own) while the store is stopped for a few
 * seconds, the gateway asked for its connections meanwhile. Each process says once that the store
 * is down and once that it is back; the requests that met it are warnings (503, the reason, no
 * stack); nothing else: no line per reconnect attempt or retry (before, a Redis cut like this
 * wrote over a thousand lines, most of them bare ECONNREFUSED stacks).
 */
const DOWN_MS = 5_000;

describe('a store outage in the logs', () => {
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;
  const procs: Proc[] = [];
  const lines: Array<{ service: string; text: string }> = [];

  beforeAll(async () => {
    const services = testServices();
    process.env.DATABASE_URL = services.adminDatabaseUrl;
    process.env.REDIS_URL = services.redisUrl;
    [redis, postgres] = await Promise.all([PrivateRedis.create(), PrivatePostgres.create()]);
    await runMigrations(postgres.url);
    const env = { NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: 'info', DATABASE_URL: postgres.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'outage-test' };
    for (const service of ['gateway', 'catalog-sync'] as const) procs.push(new Proc(service, env, await freePort()));
    for (const proc of procs) {
      for (const stream of [proc.child.stdout, proc.child.stderr]) {
        stream?.on('data', (chunk: Buffer) =>
          lines.push(
            ...chunk
              .toString()
              .split('\n')
              .filter(Boolean)
              .map((text) => ({ service: proc.name, text })),
          ),
        );
      }
    }
    await Promise.all(procs.map((p) => p.ready()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await Promise.all([redis?.destroy(), postgres?.destroy()]);
  }, 60_000);

  it.each([
    ['Redis', () => redis],
    ['PostgreSQL', () => postgres],
  ] as const)(
    `%s: logs each process's outage once when it starts (error, what is down) and once when it ends (how long), and nothing else`,
    async (name, storeOf) => {
      const store: RestartableStore = storeOf();
      await sleep(1_000);
      const from = lines.length;
      await store.stop();
      const answers: number[] = [];
      for (const until = Date.now() + DOWN_MS; Date.now() < until; await sleep(1_000)) answers.push(await connectionsStatus(procs[0].url));
      await store.start();
      await Promise.all(procs.map((p) => p.ready(60_000)));
      // The end is said once the connections have stayed up a moment (the outage log's settling time).
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && lines.slice(from).filter((l) => l.text.includes('is back after')).length < procs.length) await sleep(250);

      const during = lines.slice(from);
      const parsed = during.map((l) => ({ ...l, json: parseJson(l.text) }));
      const notJson = parsed.filter((l) => l.json === null).map((l) => `${l.service}| ${l.text}`);
      expect(notJson).toEqual([]);
      // Listing connections reads PostgreSQL only: 503 while it is down, 200 through a Redis outage.
      if (name === 'PostgreSQL') expect(answers.filter((status) => status === 503).length).toBeGreaterThan(0);
      else expect(answers.every((status) => status === 200)).toBe(true);
      for (const proc of procs) {
        const own = parsed.filter((l) => l.service === proc.name).map((l) => l.json!);
        const requests = own.filter((l) => typeof l.status === 'number');
        for (const request of requests) {
          expect(request).toMatchObject({ level: request.status === 503 ? 'warn' : 'info' });
          if (request.status === 503) expect(request.reason).toBe(`${name} is unavailable`);
        }
        expect(own.filter((l) => typeof l.status !== 'number')).toEqual([
          expect.objectContaining({ level: 'error', outage: name, msg: expect.stringMatching(new RegExp(`^${name} is down: `)) }),
          expect.objectContaining({ level: 'info', outage: name, downMs: expect.any(Number), msg: expect.stringMatching(new RegExp(`^${name} is back after \\d+\\.\\d s`)) }),
        ]);
        expect(JSON.stringify(own)).not.toMatch(/stack|requestId":"[^"]*","outage/);
        const back = own.find((l) => typeof l.downMs === 'number') as { downMs: number };
        expect(back.downMs).toBeGreaterThanOrEqual(DOWN_MS - 1_500);
      }
      console.log(`${name} stopped for ${DOWN_MS / 1000} s: ${during.length} log lines from ${procs.length} processes:\n${during.map((l) => `  ${l.service}| ${l.text}`).join('\n')}`);
    },
    120_000,
  );
});

/** `GET /connections` on the gateway: 503 while a store it needs is down. */
async function connectionsStatus(gatewayUrl: string): Promise<number> {
  const res = await fetch(`${gatewayUrl}/connections`, { headers: { 'x-api-key': DEV_DEFAULTS.GATEWAY_API_KEY }, signal: AbortSignal.timeout(5_000) }).catch(() => null);
  await res?.text();
  return res?.status ?? 0;
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
