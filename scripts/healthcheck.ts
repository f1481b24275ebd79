import { SERVICE_PORTS, type ServiceName } from '@app/common';

/**
 * The container health check: exit 0 when this image's service answers `/health/ready`.
 * The port is PORT when set, else the service's own default (APP names the service).
 */
const app = (process.env.APP ?? 'gateway') as ServiceName;
const port = process.env.PORT || String(SERVICE_PORTS[app] ?? 3000);
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
