import { join } from 'node:path';
import { DEV_DEFAULTS, MESH_SERVICES, SERVICE_PORTS, loadConfig, type AppConfig, type ServiceName } from '@app/common';
import { FOLLOW_UP_WINDOW_MS, isFinalRunStatus } from '@app/contracts';
import { tcpReachable } from '@app/util';
import { ensureDatabase, runMigrations } from '@app/persistence';
import { DEMO_CONNECTION_NAME, demoConnectionBody } from './demo-connection';
import { startService, stopAll, waitReady, type Running } from './dev-runner';
import { loadStartOptions, type StartOptions } from './start-options';

/**
 * `npm start`: the whole mesh on one machine, with both sandboxes and a demo connection. Applies
 * migrations, starts the sandboxes (seeded once with the same brand) and every service as its own
 * process, waits until each is ready, creates the demo connection once, prints where to look;
 * Ctrl-C stops them all gracefully.
 */
const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 35_000;

function portOf(service: keyof typeof SERVICE_PORTS): number {
  return SERVICE_PORTS[service];
}

function shown(value: string, devDefault: string, variable: string): string {
  return value === devDefault ? `${value}  (development default; set ${variable})` : `(from ${variable})`;
}

function printSummary(config: AppConfig, demo: { id: string; test: string; created: boolean }): void {
  const gw = `http://localhost:${portOf('gateway')}`;
  const lines = [
    '',
    'The mesh is up.',
    `  Demo connection  ${demo.id}  (${DEMO_CONNECTION_NAME}; connection test: ${demo.test})`,
    `  AMC sandbox      http://localhost:${portOf('amc-sandbox')}/api/json/products?token=…   /_sandbox/state`,
    `  JOOR sandbox     http://localhost:${portOf('joor-sandbox')}/v4/...   /_sandbox/state   /_sandbox/calls`,
    `  Gateway API      ${gw}        (header x-api-key: ${shown(config.gateway.apiKey, DEV_DEFAULTS.GATEWAY_API_KEY, 'GATEWAY_API_KEY')})`,
    `  API docs         ${gw}/docs`,
    `  Bull Board       ${gw}/admin/queues   (user ${config.gateway.bullBoardUser}, password ${shown(config.gateway.bullBoardPassword, DEV_DEFAULTS.BULL_BOARD_PASSWORD, 'BULL_BOARD_PASSWORD')})`,
    `  Mesh health      ${gw}/health/mesh`,
    ...MESH_SERVICES.map((s) => `  ${s.padEnd(16)} http://localhost:${portOf(s)}/health/ready   /metrics`),
    '',
    `  Try: curl -H 'x-api-key: <key>' ${gw}/connections/${demo.id}/runs`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  // Every service validates the same environment; checking it once here fails fast with the same message.
  const config = loadConfig('gateway');
  for (const [what, url, port] of [
    ['Redis', config.redisUrl, 6379],
    ['PostgreSQL', config.databaseUrl, 5432],
  ] as const) {
    if (!(await tcpReachable(url, port, 2_000))) {
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

  const options = loadStartOptions(process.env);
  const services: ServiceName[] = ['amc-sandbox', 'joor-sandbox', ...MESH_SERVICES];
  services.forEach((service, index) => {
    const r = startService(ROOT, service, portOf(service), { ...process.env, ...options.serviceEnv }, index);
    r.child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${service} exited unexpectedly (code ${code}, signal ${signal}); stopping the rest`);
        void shutdown(1);
      }
    });
    running.push(r);
  });

  const results = await Promise.all(running.map((r) => waitReady(`http://127.0.0.1:${r.port}`, READY_TIMEOUT_MS, () => r.child.exitCode === null && !stopping)));
  const notReady = running.filter((_, i) => !results[i]).map((r) => r.service);
  if (notReady.length > 0) {
    if (!stopping) {
      console.error(`not ready within ${READY_TIMEOUT_MS / 1000} s: ${notReady.join(', ')}`);
      await shutdown(1);
    }
    return;
  }
  const demo = await ensureDemoConnection(config, options);
  printSummary(config, demo);
  if (demo.test === 'ok') await syncDemo(config, demo.id, demo.created, options);
}

interface FollowedRun {
  label: string;
  id: string;
}

async function firstScheduledRuns(config: AppConfig, connectionId: string): Promise<FollowedRun[]> {
  const found: FollowedRun[] = [];
  for (const [kind, label] of [
    ['styles', 'catalog (first, full)'],
    ['orders', 'orders'],
    ['customers', 'customers (first, full)'],
  ] as const) {
    for (let i = 0; i < 60; i++) {
      const res = await api(config, 'GET', `/connections/${connectionId}/runs?kind=${kind}&limit=1`);
      const run = res.json.items?.[0];
      if (run) {
        found.push({ label, id: run.id });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  return found;
}

async function triggerRuns(config: AppConfig, connectionId: string): Promise<FollowedRun[]> {
  const styles = await api(config, 'POST', `/connections/${connectionId}/sync/styles`, {});
  const orders = await api(config, 'POST', `/connections/${connectionId}/sync/orders`, {});
  const inventory = await api(config, 'POST', `/connections/${connectionId}/sync/inventory`, { full: true });
  const customers = await api(config, 'POST', `/connections/${connectionId}/sync/customers`, {});
  const images = await api(config, 'POST', `/connections/${connectionId}/sync/images`, {});
  return [
    { label: 'catalog (delta)', id: styles.json.runId as string },
    { label: 'orders', id: orders.json.runId as string },
    { label: 'inventory (full)', id: inventory.json.runId as string },
    { label: 'customers (delta)', id: customers.json.runId as string },
    ...(images.status === 202 ? [{ label: 'images (delta)', id: images.json.runId as string }] : []),
  ];
}

/** The runs the first catalog run asked for so far (its SKUs' stock and its styles' images follow them). */
async function followUpRuns(config: AppConfig, connectionId: string, catalogRunId: string): Promise<FollowedRun[]> {
  const found: FollowedRun[] = [];
  for (const [kind, label] of [
    ['inventory', 'stock (follow-up)'],
    ['images', 'images (follow-up)'],
  ] as const) {
    const res = await api(config, 'GET', `/connections/${connectionId}/runs?kind=${kind}&limit=20`).catch(() => null);
    for (const run of (res?.json.items ?? []) as Array<{ id: string; trigger: string; details: { causedBy?: string } }>) {
      if (run.trigger === 'follow-up' && run.details?.causedBy === catalogRunId) found.push({ label, id: run.id });
    }
  }
  return found;
}

/** What the JOOR sandbox holds of the demo's images. */
async function joorImages(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${portOf('joor-sandbox')}/_sandbox/state/assets`).catch(() => null);
  if (!res?.ok) return 'the JOOR sandbox did not answer';
  const rows = (await res.json()) as Array<{ product_id: number; level: string; type: string }>;
  const products = new Set(rows.map((r) => r.product_id)).size;
  const color = rows.filter((r) => r.level === 'color');
  return `${rows.length} assets on ${products} products: ${rows.length - color.length} style images, ${color.filter((r) => r.type !== 'swatch').length} color images, ${color.filter((r) => r.type === 'swatch').length} swatches`;
}

/** What the JOOR sandbox shows in the demo's JOOR warehouse. */
async function joorStock(warehouse: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${portOf('joor-sandbox')}/_sandbox/state/inventory?warehouse=${encodeURIComponent(warehouse)}`).catch(() => null);
  if (!res?.ok) return 'the JOOR sandbox did not answer';
  const rows = (await res.json()) as Array<{ quantity: number }>;
  return `${rows.length} SKUs in "${warehouse}", ${rows.reduce((sum, r) => sum + r.quantity, 0)} units in all`;
}
/** The demo's customers as customer sync left them: how many in each state. */
async function customerStates(config: AppConfig, connectionId: string): Promise<string> {
  const counts: string[] = [];
  for (const state of ['active', 'pending', 'failed', 'skipped']) {
    const res = await api(config, 'GET', `/connections/${connectionId}/customers?state=${state}&limit=1`).catch(() => null);
    if (res?.status !== 200) return 'the gateway did not answer';
    counts.push(`${res.json.total} ${state}`);
  }
  return counts.join(', ');
}

const DEMO_SYNC_TIMEOUT_MS = 20 * 60_000;

/**
 * Follows the demo's catalog sync and order poll to the end. A new connection's schedules run
 * both at once by themselves; on a later start a catalog delta and a poll are triggered here.
 */
async function syncDemo(config: AppConfig, connectionId: string, created: boolean, options: StartOptions): Promise<void> {
  const runs = created ? await firstScheduledRuns(config, connectionId) : await triggerRuns(config, connectionId);
  console.log(`syncing the demo brand: ${runs.map((r) => `${r.label} run ${r.id}`).join(', ')}`);
  const deadline = Date.now() + DEMO_SYNC_TIMEOUT_MS;
  const finished = new Map<string, any>();
  let lastLine = '';
  // The first catalog run's follow-ups (stock, images) start within a follow-up window after it asked: watched that long after it ends.
  let followUntil = created ? Number.POSITIVE_INFINITY : 0;
  while ((finished.size < runs.length || Date.now() < followUntil) && Date.now() < deadline) {
    if (created && finished.has(runs[0].id)) {
      if (followUntil === Number.POSITIVE_INFINITY) followUntil = Date.now() + FOLLOW_UP_WINDOW_MS + 15_000;
      for (const followUp of await followUpRuns(config, connectionId, runs[0].id)) {
        if (runs.some((r) => r.id === followUp.id)) continue;
        runs.push(followUp);
        console.log(`  the catalog's styles bring their ${followUp.label.startsWith('stock') ? 'stock' : 'images'}: ${followUp.label} run ${followUp.id}`);
      }
    }
    for (const run of runs) {
      if (finished.has(run.id)) continue;
      const res = await api(config, 'GET', `/runs/${run.id}`).catch(() => null);
      if (res?.status === 200 && isFinalRunStatus(res.json.status)) {
        finished.set(run.id, res.json);
        if (res.json.kind === 'customers') console.log(`  ${run.label}: ${res.json.status}; the demo's customers now: ${await customerStates(config, connectionId)}`);
      } else if (res?.status === 200) {
        const line = `  ${run.label}: ${res.json.status} ${res.json.progress.done}/${res.json.progress.total ?? '?'}, ${res.json.creditsSpent} JOOR credits`;
        if (line !== lastLine) console.log(line);
        lastLine = line;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
  const gw = `http://localhost:${portOf('gateway')}`;
  const lines = ['', 'Demo sync:'];
  for (const run of runs) {
    const r = finished.get(run.id);
    lines.push(
      r
        ? `  ${run.label.padEnd(16)} ${r.status}: created ${r.counts.created}, updated ${r.counts.updated}, unchanged ${r.counts.unchanged}, failed ${r.counts.failed}; ${r.creditsSpent} JOOR credits  (${gw}/runs/${run.id}/events)`
        : `  ${run.label.padEnd(16)} still running after ${DEMO_SYNC_TIMEOUT_MS / 60_000} min: follow ${gw}/runs/${run.id}`,
    );
  }
  const settings = (await api(config, 'GET', `/connections/${connectionId}`)).json.settings ?? {};
  const warehouse = settings.joorWarehouseName as string | undefined;
  if (warehouse) lines.push(`  Stock on JOOR:   ${await joorStock(warehouse)}  (http://localhost:${portOf('joor-sandbox')}/_sandbox/state/inventory?warehouse=${encodeURIComponent(warehouse)})`);
  lines.push(`  Images on JOOR:  ${await joorImages()}  (http://localhost:${portOf('joor-sandbox')}/_sandbox/state/assets; each source_url opens the image)`);
  lines.push(
    `  Customers:       ${await customerStates(config, connectionId)}  (${gw}/connections/${connectionId}/customers?state=pending; skipped: no JOOR code in AMC, or inactive)`,
    `                   the demo's JOOR matches a new customer ${options.joorConnectionDelaySeconds} s after it arrives (DEMO_JOOR_CONNECTION_DELAY_SECONDS); the customer runs (every ${settings.customerSyncMinutes ?? '?'} min) then show it active`,
  );
  lines.push(
    `  Where to look: ${gw}/connections/${connectionId}/runs, ${gw}/connections/${connectionId}/orders, ${gw}/connections/${connectionId}/customers, ${gw}/runs/<id>/stream (live),`,
    `  the JOOR sandbox's state at http://localhost:${portOf('joor-sandbox')}/_sandbox/state, AMC's orders at http://localhost:${portOf('amc-sandbox')}/_sandbox/state/orders.`,
    '  (A "partial" run is expected: the generated brand carries a few bad styles and orders on purpose; their events say why.)',
    '',
  );
  console.log(lines.join('\n'));
}

async function api(config: AppConfig, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`http://127.0.0.1:${portOf('gateway')}${path}`, {
    method,
    headers: { 'x-api-key': config.gateway.apiKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Creates the demo connection the first time (found by name afterwards) and checks it. */
async function ensureDemoConnection(config: AppConfig, options: StartOptions): Promise<{ id: string; test: string; created: boolean }> {
  const list = await api(config, 'GET', '/connections');
  let id = (list.json as Array<{ id: string; name: string }>).find((c) => c.name === DEMO_CONNECTION_NAME)?.id;
  const created = !id;
  if (!id) {
    const created = await api(config, 'POST', '/connections', demoConnectionBody(options.demo));
    if (created.status !== 201) throw new Error(`could not create the demo connection: ${created.status} ${JSON.stringify(created.json)}`);
    id = created.json.id as string;
    console.log(`created the demo connection ${id}`);
  }
  const test = await api(config, 'POST', `/connections/${id}/test`);
  const verdict = test.json?.ok ? 'ok' : `FAILED ${JSON.stringify(test.json)}`;
  return { id, test: verdict, created };
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
