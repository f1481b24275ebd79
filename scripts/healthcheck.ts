import { get } from 'node:http';

/**
 * The container health check, kept tiny on purpose: it runs every few seconds beside the service,
 * so it imports nothing of the app or its libraries (no Nest, no config loading), only node:http.
 * Exit 0 when this image's service answers 200 on `/health/ready` (`node healthcheck.js live`:
 * `/health/live`). The port is PORT when set, else APP's default port.
 */

/** The services' default ports; test/image-contents.spec.ts holds this to SERVICE_PORTS. */
export const DEFAULT_PORTS: Record<string, number> = {
  gateway: 3000,
  'catalog-sync': 3001,
  'media-sync': 3002,
  'inventory-sync': 3003,
  'customer-sync': 3004,
  'order-ingest': 3005,
  'amc-sandbox': 4001,
  'joor-sandbox': 4002,
};

export function probeTarget(env: Record<string, string | undefined>, argv: string[]): { port: number; path: string } {
  const port = Number(env.PORT || DEFAULT_PORTS[env.APP ?? 'gateway'] || 3000);
  return { port, path: argv.includes('live') ? '/health/live' : '/health/ready' };
}

if (require.main === module) {
  const { port, path } = probeTarget(process.env, process.argv.slice(2));
  const req = get({ host: '127.0.0.1', port, path, timeout: 2_500 }, (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
  req.on('timeout', () => req.destroy());
  req.on('error', () => process.exit(1));
}
