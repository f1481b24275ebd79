import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SERVICE_PORTS } from '@app/common';
import { DEFAULT_PORTS, probeTarget } from '../scripts/healthcheck';
import { IMAGE_APPS, copyImageFiles, imageContents, type ImageApp, type ImageContents } from '../scripts/image-contents';

/**
 * What each image would hold, without a Docker engine: the Dockerfile's runtime stage takes dist/
 * only from what scripts/image-contents.ts copies, and that set is computed here from the build's
 * output (npm test builds first) and held to the rules of issue 13.
 */
const root = join(__dirname, '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const SANDBOX_CODE = /^(apps\/[a-z-]+-sandbox|libs\/(sandbox-kit|sandbox-seed|testing))\//;

/** What an image must not carry, as readable problems. */
function imageViolations({ app, files }: ImageContents): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const ownApp = file.startsWith(`apps/${app}/`);
    if (file.startsWith('apps/') && !ownApp) problems.push(`${app}: carries another app's ${file}`);
    if (!app.endsWith('-sandbox') && SANDBOX_CODE.test(file)) problems.push(`${app}: carries sandbox or test code ${file}`);
    if (/^scripts\/(bench-[a-z-]+|start|dev-runner|seed)\.js$/.test(file)) problems.push(`${app}: carries the development script ${file}`);
    if (/\.(spec|e2e-spec|main)\.js$/.test(file) || file.includes('/test/')) problems.push(`${app}: carries the test file ${file}`);
  }
  return problems;
}

const contents = Object.fromEntries(IMAGE_APPS.map((app) => [app, imageContents(dist, app)])) as Record<ImageApp, ImageContents>;

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it("copies dist/ into the runtime image only from image-contents' per-APP set", () => {
    expect(dockerfile).toMatch(/^ARG APP=gateway\nRUN node dist\/scripts\/image-contents\.js "\$APP" \/app\/image$/m);
    const copies = runtime.split('\n').filter((line) => line.startsWith('COPY'));
    expect(copies.map((line) => line.replace(/^COPY (--from=\S+ )?/, ''))).toEqual(['/app/package.json ./', '/app/node_modules ./node_modules', '/app/image/dist ./dist']);
    // node_modules is the build's after `npm prune --omit=dev`: production dependencies only.
    expect(dockerfile).toContain('npm prune --omit=dev');
  });

  it('runs as production and as uid 1000 by default, health-checked by the tiny script', () => {
    expect(runtime).toMatch(/^ENV NODE_ENV=production\b/m);
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .* CMD \["node", "dist\/scripts\/healthcheck\.js"\]$/m);
    expect(runtime).toContain('exec node dist/apps/${APP}/src/main.js');
  });
});

describe('each image holds only its own code', () => {
  it.each(IMAGE_APPS)('%s: its main, health check and scripts, no other app, sandbox, benchmark or test code', (app) => {
    const { files } = contents[app];
    expect(imageViolations(contents[app])).toEqual([]);
    expect(files).toEqual(expect.arrayContaining([`apps/${app}/src/main.js`, 'scripts/healthcheck.js']));
    if (!app.endsWith('-sandbox')) expect(files).toContain('scripts/migrate.js');
  });

  it('amc-sandbox carries the demo connection job and the seed generator it needs', () => {
    expect(contents['amc-sandbox'].files).toEqual(expect.arrayContaining(['scripts/create-demo-connection.js', 'libs/sandbox-seed/src/index.js']));
  });

  it.each(IMAGE_APPS)('%s: every package it requires is a production dependency (kept by npm prune --omit=dev)', (app) => {
    expect(contents[app].packages.filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('the rules bite: a service that required a sandbox, or another app, would be refused', () => {
    const fake = mkdtempSync(join(tmpdir(), 'image-contents-'));
    try {
      const write = (path: string, text: string) => (mkdirSync(dirname(join(fake, path)), { recursive: true }), writeFileSync(join(fake, path), text));
      write('apps/gateway/src/main.js', 'require("../../../libs/sandbox-kit/src");\nrequire("../../order-ingest/src/x");\nrequire("ioredis");\nrequire("node:fs");');
      write('libs/sandbox-kit/src/index.js', '');
      write('apps/order-ingest/src/x.js', 'require("left-pad/lib")');
      write('scripts/healthcheck.js', '');
      write('scripts/migrate.js', '');
      write('scripts/bench-catalog.js', '');
      const found = imageContents(fake, 'gateway');
      expect(found.packages).toEqual(['ioredis', 'left-pad']);
      expect(imageViolations(found)).toEqual(["gateway: carries another app's apps/order-ingest/src/x.js", 'gateway: carries sandbox or test code libs/sandbox-kit/src/index.js']);
      const copied = join(fake, 'out');
      copyImageFiles(fake, 'gateway', copied);
      expect(readFileSync(join(copied, 'dist/apps/gateway/src/main.js'), 'utf8')).toContain('sandbox-kit');
      expect(() => readFileSync(join(copied, 'dist/scripts/bench-catalog.js'))).toThrow();
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
});

describe('the container health check', () => {
  let server: Server;
  let port: number;
  let status = 200;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  /** The compiled check as Docker runs it; its exit code. Asynchronous: the server answers in this process. */
  const probe = (env: Record<string, string>, ...args: string[]) =>
    new Promise<number | null>((done) => spawn(process.execPath, [join(dist, 'scripts/healthcheck.js'), ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 10_000 }).on('exit', done));

  it('loads nothing of the app: no file of ours and no package, only node:http', () => {
    const own = readFileSync(join(dist, 'scripts/healthcheck.js'), 'utf8');
    expect([...own.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['node:http']);
  });

  it('exits 0 on 200 from /health/ready, 1 on 503 or when nothing answers; `live` asks /health/live', async () => {
    status = 200;
    expect(await probe({ APP: 'gateway', PORT: String(port) })).toBe(0);
    expect(await probe({ APP: 'gateway', PORT: String(port) }, 'live')).toBe(0);
    status = 503;
    expect(await probe({ APP: 'gateway', PORT: String(port) })).toBe(1);
    expect(paths).toEqual(['/health/ready', '/health/live', '/health/ready']);
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    expect(await probe({ APP: 'gateway', PORT: String(freePort) })).toBe(1);
  });

  it("knows every service's default port (PORT unset), the same as SERVICE_PORTS", () => {
    expect(DEFAULT_PORTS).toEqual(SERVICE_PORTS);
    expect(probeTarget({ APP: 'order-ingest' }, [])).toEqual({ port: 3005, path: '/health/ready' });
    expect(probeTarget({ APP: 'order-ingest', PORT: '8080' }, ['live'])).toEqual({ port: 8080, path: '/health/live' });
  });
});
