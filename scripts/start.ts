import { createConnection } from 'node:net';
import { join } from 'node:path';
import { DEV_DEFAULTS, MESH_SERVICES, SERVICE_PORTS, loadConfig, type AppConfig } from '@app/common';
import { ensureDatabase, runMigrations } from '@app/persistence';
import { startService, stopAll, waitReady, type Running } from './dev-runner';

/**
 * `npm start`: the whole mesh on one machine. Applies migrations, starts every service as its own
 * process, waits until each is ready, prints where to look; Ctrl-C stops them all gracefully.
 */
const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 35_000;

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function portOf(service: keyof typeof SERVICE_PORTS): number {
  return SERVICE_PORTS[service];
}

function shown(value: string, devDefault: string, variable: string): string {
  return value === devDefault ? `${value}  (development default; set ${variable})` : `(from ${variable})`;
}

function printSummary(config: AppConfig): void {
  const gw = `http://localhost:${portOf('gateway')}`;
  const lines = [
    '',
    'The mesh is up.',
    `  Gateway API      ${gw}        (header x-api-key: ${shown(config.gateway.apiKey, DEV_DEFAULTS.GATEWAY_API_KEY, 'GATEWAY_API_KEY')})`,
    `  API docs         ${gw}/docs`,
    `  Bull Board       ${gw}/admin/queues   (user ${config.gateway.bullBoardUser}, password ${shown(config.gateway.bullBoardPassword, DEV_DEFAULTS.BULL_BOARD_PASSWORD, 'BULL_BOARD_PASSWORD')})`,
    `  Mesh health      ${gw}/health/mesh`,
    ...MESH_SERVICES.map((s) => `  ${s.padEnd(16)} http://localhost:${portOf(s)}/health/ready   /metrics`),
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  // Every service validates the same environment; checking it once here fails fast with the same message.
  const config = loadConfig('gateway');
  for (const [what, url, port] of [['Redis', config.redisUrl, 6379], ['PostgreSQL', config.databaseUrl, 5432]] as const) {
    if (!(await reachable(url, port))) {
      throw new Error(`${what} does not answer at ${new URL(url).host}. Start it (see README, "Requirements") or set ${what === 'Redis' ? 'REDIS_URL' : 'DATABASE_URL'}.`);
    }
  }
  if (config.nodeEnv !== 'production' && (await ensureDatabase(config.databaseUrl))) console.log(`created database ${new URL(config.databaseUrl).pathname.slice(1)}`);
  const applied = await runMigrations(config.databaseUrl);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  const running: Running[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping every service...');
    await stopAll(running, STOP_TIMEOUT_MS);
    console.log('all stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  MESH_SERVICES.forEach((service, index) => {
    const r = startService(ROOT, service, portOf(service), process.env, index);
    r.child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${service} exited unexpectedly (code ${code}, signal ${signal}); stopping the rest`);
        void shutdown(1);
      }
    });
    running.push(r);
  });

  const results = await Promise.all(
    running.map((r) => waitReady(`http://127.0.0.1:${r.port}`, READY_TIMEOUT_MS, () => r.child.exitCode === null && !stopping)),
  );
  const notReady = running.filter((_, i) => !results[i]).map((r) => r.service);
  if (notReady.length > 0) {
    if (!stopping) {
      console.error(`not ready within ${READY_TIMEOUT_MS / 1000} s: ${notReady.join(', ')}`);
      await shutdown(1);
    }
    return;
  }
  printSummary(config);
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
