import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleRef } from '@nestjs/core';
import { loadConfig, MESH_SERVICES, MetricsService, SERVICE_PORTS, SYNC_METRIC_NAMES, type AppConfig, type ServiceName } from '@app/common';
import { SYNC_QUEUE_NAMES, WORKER_CONCURRENCY } from '@app/contracts';
import { K8S_DIR, named, OVERLAYS, podSpec, render, validate, type K8sObject } from './k8s-manifests';
import { containerViolations, deploymentViolations, networkViolations, productionViolations, secretViolations } from './k8s-rules';

/** k8s/ rendered with `kubectl kustomize` (offline), validated against the Kubernetes, KEDA and prometheus-operator schemas, and held to the project's rules. */
const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, render(overlay)])) as Record<(typeof OVERLAYS)[number], K8sObject[]>;
const demo = rendered['overlays/demo'];
const production = rendered['overlays/production'];

/** The keys k8s/README.md has the operator put in Secret amcjoor-secrets, with stand-in values. */
const PRODUCTION_SECRET: Record<string, string> = {
  SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  GATEWAY_API_KEY: randomBytes(16).toString('hex'),
  BULL_BOARD_USER: 'operator',
  BULL_BOARD_PASSWORD: randomBytes(12).toString('hex'),
  DATABASE_URL: 'postgres://amcjoor:pw@db.internal:5432/amcjoor',
  REDIS_URL: 'rediss://:pw@redis.internal:6380',
};

/** A container's environment as the kubelet would give it; a dangling reference throws. */
function environment(objects: K8sObject[], container: any, secret?: Record<string, string>): Record<string, string> {
  const configMap = (name: string) => named(objects, 'ConfigMap', name).data as Record<string, string>;
  const secretData = (name: string): Record<string, string> => {
    if (secret) return secret;
    const data = named(objects, 'Secret', name).data as Record<string, string>;
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) Object.assign(env, source.configMapRef ? configMap(source.configMapRef.name) : secretData(source.secretRef.name));
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const value = from?.secretKeyRef
      ? secretData(from.secretKeyRef.name)[from.secretKeyRef.key]
      : from?.configMapKeyRef
        ? configMap(from.configMapKeyRef.name)[from.configMapKeyRef.key]
        : variable.value;
    if (value === undefined) throw new Error(`${container.name}: ${variable.name} refers to a key that does not exist`);
    env[variable.name] = value;
  }
  return env;
}

/** Every series name the services export, from the metrics registry they use. */
async function exportedMetricNames(): Promise<Set<string>> {
  const queue = { name: 'catalog-sync', getJobCounts: async () => ({}) };
  const config = { service: 'catalog-sync', healthTimeoutMs: 100 } as AppConfig;
  const metrics = new MetricsService(config, ['catalog-sync'], { get: () => queue } as unknown as ModuleRef);
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    // prom-client types `type` as a numeric enum; at run time it is the text name.
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  metrics.registry.clear();
  return names;
}

/** Series that come from elsewhere: kube-state-metrics and Prometheus itself. */
const EXTERNAL_METRICS = new Set(['kube_deployment_status_replicas_available', 'kube_deployment_spec_replicas', 'up']);

function unknownMetrics(expressions: string[], exported: Set<string>): string[] {
  // A series name: prefixed and not a function call or a label matcher (`max by (c) (amcjoor_x)` counts too), or `up{`.
  const names = /\b((?:amcjoor|process|nodejs|kube)_[a-z0-9_]+)\b(?!\s*[(=!~])|\b(up)\s*[{[]/g;
  const used = expressions.flatMap((expr) => [...expr.matchAll(names)].map((m) => m[1] ?? m[2]));
  return [...new Set(used)].filter((name) => !exported.has(name) && !EXTERNAL_METRICS.has(name));
}

const ruleExpressions = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'PrometheusRule').flatMap((rule) => rule.spec.groups.flatMap((group: any) => group.rules.map((r: any) => r.expr as string)));
const dashboard = JSON.parse(readFileSync(join(K8S_DIR, 'components/monitoring/amcjoor-mesh.dashboard.json'), 'utf8'));
const dashboardExpressions = (board: any): string[] => board.panels.flatMap((panel: any) => panel.targets.map((t: any) => t.expr as string));

describe('k8s manifests', () => {
  it.each(OVERLAYS)('%s builds with kubectl kustomize and every object validates against its schema', (overlay) => {
    const objects = rendered[overlay];
    expect(objects.length).toBeGreaterThan(0);
    const failures = objects.flatMap((object) => {
      try {
        validate(object);
        return [];
      } catch (err) {
        return [(err as Error).message];
      }
    });
    expect(failures).toEqual([]);
  });

  it('the schema check bites: a wrong type, a missing field and an unknown kind are refused', () => {
    const deployment = structuredClone(named(production, 'Deployment', 'gateway'));
    deployment.spec.replicas = 'two';
    expect(() => validate(deployment)).toThrow(/replicas must be integer/);
    const scaledObject = structuredClone(named(production, 'ScaledObject', 'catalog-sync'));
    delete scaledObject.spec.scaleTargetRef;
    expect(() => validate(scaledObject)).toThrow(/scaleTargetRef/);
    expect(() => validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(/no schema knows this kind/);
  });

  it('demo and production: one Deployment per service of the mesh, on its port; demo adds the sandboxes', () => {
    const deployments = (objects: K8sObject[]) =>
      objects
        .filter((o) => o.kind === 'Deployment')
        .map((o) => o.metadata.name)
        .sort();
    expect(deployments(production)).toEqual([...MESH_SERVICES].sort());
    expect(deployments(demo)).toEqual([...MESH_SERVICES, 'amc-sandbox', 'joor-sandbox'].sort());
    for (const service of MESH_SERVICES) expect(named(production, 'Service', service).spec.ports[0].port).toBe(SERVICE_PORTS[service]);
  });

  it.each(['overlays/demo', 'overlays/production'] as const)('%s: every Deployment has its probes, sizes, security, production mode, grace period, scraping and budget', (overlay) => {
    expect(deploymentViolations(rendered[overlay])).toEqual([]);
    expect(containerViolations(rendered[overlay])).toEqual([]);
  });

  it('the Deployment rules bite', () => {
    const broken = structuredClone(production);
    const gateway = podSpec(named(broken, 'Deployment', 'gateway'))!;
    gateway.containers[0].readinessProbe.httpGet.path = '/health/live';
    gateway.terminationGracePeriodSeconds = 30;
    delete gateway.containers[0].resources.limits;
    gateway.containers[0].securityContext.readOnlyRootFilesystem = false;
    named(broken, 'ConfigMap', 'amcjoor-settings').data.SHUTDOWN_TIMEOUT_MS = '60000';
    expect(deploymentViolations(broken)).toEqual(
      expect.arrayContaining([
        'gateway: readinessProbe must GET /health/ready on port http',
        'gateway: terminationGracePeriodSeconds 30 must exceed 70 (SHUTDOWN_TIMEOUT_MS plus the backstop)',
        'catalog-sync: terminationGracePeriodSeconds 45 must exceed 70 (SHUTDOWN_TIMEOUT_MS plus the backstop)',
      ]),
    );
    expect(containerViolations(broken)).toEqual(
      expect.arrayContaining(['Deployment gateway/service: no cpu limits', 'Deployment gateway/service: no memory limits', 'Deployment gateway/service: root filesystem must be read-only']),
    );
  });

  it('every service pod applies the migrations before it starts', () => {
    for (const service of MESH_SERVICES) {
      const init = podSpec(named(production, 'Deployment', service))!.initContainers ?? [];
      expect(init.map((c: any) => [c.name, c.command.join(' ')])).toEqual([['migrate', 'node dist/scripts/migrate.js']]);
    }
  });

  it.each(OVERLAYS)('%s: secrets only by reference, never in a ConfigMap or a literal value', (overlay) => {
    expect(secretViolations(rendered[overlay])).toEqual([]);
    const broken = structuredClone(rendered[overlay]);
    named(broken, 'ConfigMap', 'amcjoor-settings').data.GATEWAY_API_KEY = 'a-literal-api-key';
    expect(secretViolations(broken)).toEqual(['ConfigMap amcjoor-settings: GATEWAY_API_KEY is a secret']);
  });

  it('production carries no sandbox, demo, test hook or Secret; the demo would fail that check', () => {
    expect(productionViolations(production)).toEqual([]);
    expect(productionViolations(demo)).toEqual(
      expect.arrayContaining([
        'Deployment amc-sandbox: a sandbox or demo object',
        'Job demo-connection: a sandbox or demo object',
        expect.stringMatching(/^Secret amcjoor-secrets-\w+: production references its Secret, it never carries one$/),
        'Deployment joor-sandbox: JOOR_SANDBOX_SEED_STYLES is not a setting the services read',
      ]),
    );
    const hooked = structuredClone(production);
    podSpec(named(hooked, 'Deployment', 'order-ingest'))!.containers[0].env.push({ name: 'FAKE_CLOCK', value: '1' });
    expect(productionViolations(hooked)).toEqual(['Deployment order-ingest: FAKE_CLOCK is not a setting the services read']);
  });

  it.each([
    ['overlays/demo', undefined],
    ['overlays/production', PRODUCTION_SECRET],
  ] as const)('%s: every service passes its config check (loadConfig) with the environment the manifests give it', (overlay, secret) => {
    const objects = rendered[overlay];
    const checked: string[] = [];
    for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
      const service = deployment.metadata.name as ServiceName;
      for (const container of [...(podSpec(deployment)!.initContainers ?? []), ...podSpec(deployment)!.containers]) {
        const env = environment(objects, container, secret);
        if (container.name === 'service') expect(() => loadConfig(service, env)).not.toThrow();
        checked.push(`${service}/${container.name}`);
      }
    }
    expect(checked.filter((c) => c.endsWith('/service'))).toHaveLength(overlay === 'overlays/demo' ? 8 : 6);
    // The check bites: the development API key is refused in production mode.
    const gateway = structuredClone(named(objects, 'Deployment', 'gateway'));
    const env = environment(objects, podSpec(gateway)!.containers[0], secret);
    expect(() => loadConfig('gateway', { ...env, GATEWAY_API_KEY: 'dev-api-key-change-me' })).toThrow(/GATEWAY_API_KEY/);
  });

  it('demo: Redis keeps jobs (AOF) and never evicts them, as BullMQ needs', () => {
    const args = named(demo, 'StatefulSet', 'redis').spec.template.spec.containers[0].args.join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--maxmemory-policy noeviction');
  });

  it("demo: Redis asks for the password every service's REDIS_URL carries, and its probes use it", () => {
    const redis = named(demo, 'StatefulSet', 'redis').spec.template.spec.containers[0];
    const redisEnv = environment(demo, redis);
    expect(redisEnv.REDIS_PASSWORD.length).toBeGreaterThanOrEqual(12);
    expect(redisEnv.REDISCLI_AUTH).toBe(redisEnv.REDIS_PASSWORD);
    expect(redis.args.slice(redis.args.indexOf('--requirepass'))).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
    for (const probe of [redis.readinessProbe, redis.livenessProbe]) expect(probe.exec.command.join(' ')).toContain('grep -q PONG');
    for (const deployment of demo.filter((o) => o.kind === 'Deployment')) {
      const url = new URL(environment(demo, podSpec(deployment)!.containers[0]).REDIS_URL);
      expect({ service: deployment.metadata.name, password: decodeURIComponent(url.password) }).toEqual({ service: deployment.metadata.name, password: redisEnv.REDIS_PASSWORD });
    }
  });

  it('connections may use plain http to the sandboxes in the demo, to no host in production', () => {
    const gatewayConfig = (objects: K8sObject[], secret?: Record<string, string>) =>
      loadConfig('gateway', environment(objects, podSpec(named(objects, 'Deployment', 'gateway'))!.containers[0], secret)).gateway;
    expect(gatewayConfig(demo).connectionHttpHosts).toEqual(['amc-sandbox', 'joor-sandbox']);
    expect(gatewayConfig(production, PRODUCTION_SECRET).connectionHttpHosts).toEqual([]);
  });

  it('production: the gateway scales on CPU from two replicas; each sync service on its waiting jobs, from 1 to 2', () => {
    const hpa = named(production, 'HorizontalPodAutoscaler', 'gateway');
    expect(hpa.spec.scaleTargetRef.name).toBe('gateway');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    const scaled = production.filter((o) => o.kind === 'ScaledObject');
    expect(scaled.map((o) => o.spec.scaleTargetRef.name).sort()).toEqual([...SYNC_QUEUE_NAMES].sort());
    for (const object of scaled) {
      const queue = object.spec.scaleTargetRef.name as (typeof SYNC_QUEUE_NAMES)[number];
      named(production, 'Deployment', queue);
      expect(named(production, 'Deployment', queue).spec.replicas).toBeUndefined();
      expect([object.spec.minReplicaCount, object.spec.maxReplicaCount]).toEqual([1, 2]);
      const [trigger] = object.spec.triggers;
      expect(trigger.metadata.query).toContain(`queue="${queue}"`);
      // One replica's worth of waiting jobs is what it takes at once (libs/contracts).
      expect(Number(trigger.metadata.threshold)).toBe(WORKER_CONCURRENCY[queue]);
    }
  });

  it.each(['overlays/demo', 'overlays/production'] as const)('%s: only the gateway takes traffic from outside the namespace', (overlay) => {
    expect(networkViolations(rendered[overlay])).toEqual([]);
    const broken = structuredClone(rendered[overlay]);
    named(broken, 'NetworkPolicy', 'datastores-ingress').spec.ingress[0].from.push({ namespaceSelector: {} });
    expect(networkViolations(broken)).toEqual(['NetworkPolicy datastores-ingress: lets traffic from outside the namespace reach pods other than the gateway']);
  });

  it('demo-tracing: the demo with Jaeger beside it, every service exporting its traces there; tracing off elsewhere', () => {
    const traced = rendered['overlays/demo-tracing'];
    expect(traced.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'amcjoor-demo')).toBe(true);
    const jaeger = named(traced, 'Service', 'jaeger');
    const otlpPort = jaeger.spec.ports.find((p: { name: string }) => p.name === 'otlp-http').port;
    for (const deployment of traced.filter((o) => o.kind === 'Deployment' && (MESH_SERVICES as readonly string[]).includes(o.metadata.name))) {
      const env = environment(traced, podSpec(deployment)!.containers[0]);
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(`http://jaeger:${otlpPort}`);
    }
    const egress = named(traced, 'NetworkPolicy', 'tracing-egress');
    expect(egress.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/part-of': 'amcjoor' });
    expect(egress.spec.egress[0]).toEqual({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger' } } }], ports: [{ port: otlpPort }] });
    for (const objects of [demo, production]) {
      for (const configMap of objects.filter((o) => o.kind === 'ConfigMap')) expect(Object.keys(configMap.data ?? {}).filter((k) => k.startsWith('OTEL_'))).toEqual([]);
    }
  });

  it('production: the gateway is exposed through an Ingress with TLS', () => {
    const ingress = named(production, 'Ingress', 'gateway');
    expect(ingress.spec.tls[0].secretName).toBeTruthy();
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('gateway');
  });

  it('the dashboard and the alerts use only series the services (or kube-state-metrics) export', async () => {
    const exported = await exportedMetricNames();
    expect(exported).toContain('amcjoor_queue_jobs');
    expect(unknownMetrics(dashboardExpressions(dashboard), exported)).toEqual([]);
    expect(unknownMetrics(ruleExpressions(production), exported)).toEqual([]);
    expect(unknownMetrics(['sum(rate(amcjoor_joor_credits_used_total[5m]))'], exported)).toEqual(['amcjoor_joor_credits_used_total']);
    expect(unknownMetrics(['max by (connection_id) (amcjoor_joor_budget_used) / on() up{job="x"}'], exported)).toEqual(['amcjoor_joor_budget_used']);
    // Every per-connection metric is exported and on the dashboard (runs, credits, budget, order poll lag, inventory cursor age).
    const onDashboard = dashboardExpressions(dashboard).join('\n');
    for (const name of Object.values(SYNC_METRIC_NAMES)) {
      expect(exported).toContain(name);
      expect(onDashboard).toContain(name);
    }
    const configMap = named(production, 'ConfigMap', 'amcjoor-grafana-dashboard');
    expect(JSON.parse(configMap.data['amcjoor-mesh.dashboard.json']).uid).toBe(dashboard.uid);
  });

  it('production alerts on failing orders, a queue growing for 15 minutes, jobs retrying for an hour, a service not ready, credits exhausted, order polls lagging and stale stock', () => {
    const alerts = production
      .filter((o) => o.kind === 'PrometheusRule')
      .flatMap((rule) => rule.spec.groups.flatMap((group: any) => group.rules))
      .map((r: any) => [r.alert, r.for ?? '']);
    expect(alerts).toEqual(
      expect.arrayContaining([
        ['AmcjoorOrdersFailing', ''],
        ['AmcjoorQueueGrowing', '15m'],
        ['AmcjoorJobsRetryingForAnHour', ''],
        ['AmcjoorServiceNotReady', '10m'],
        ['AmcjoorCreditsExhausted', '5m'],
        ['AmcjoorOrderPollsLagging', '5m'],
        ['AmcjoorInventoryStale', '10m'],
      ]),
    );
  });
});
