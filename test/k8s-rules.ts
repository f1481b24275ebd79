import { ENV_SPEC, SERVICE_PORTS, type ServiceName } from '@app/common';
import { podSpec, type K8sObject } from './k8s-manifests';

/**
 * The project's rules for its manifests, each returning what breaks it (empty: kept), so a test can
 * show a rule bites by feeding it a broken object.
 */

/** How long run-service.ts lets a shutdown run past SHUTDOWN_TIMEOUT_MS before it exits anyway. */
const SHUTDOWN_BACKSTOP_MS = 10_000;

const SETTINGS = 'amcjoor-settings';

function shutdownTimeoutMs(objects: K8sObject[]): number {
  const settings = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === SETTINGS);
  return Number(settings?.data?.SHUTDOWN_TIMEOUT_MS ?? ENV_SPEC.SHUTDOWN_TIMEOUT_MS.fallback);
}

/** Every Deployment: the three probes on the right paths, sizes, security, production mode, grace period, scraping, a budget. */
export function deploymentViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const graceNeeded = (shutdownTimeoutMs(objects) + SHUTDOWN_BACKSTOP_MS) / 1000;
  const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
    const name = deployment.metadata.name;
    const pod = podSpec(deployment)!;
    const container = pod.containers?.find((c: any) => c.name === 'service');
    if (!container) {
      problems.push(`${name}: no container named service`);
      continue;
    }
    const port = container.ports?.find((p: any) => p.name === 'http')?.containerPort;
    const probe = (kind: string, path: string) => {
      const get = container[kind]?.httpGet;
      if (get?.path !== path || get?.port !== 'http') problems.push(`${name}: ${kind} must GET ${path} on port http`);
    };
    probe('livenessProbe', '/health/live');
    probe('readinessProbe', '/health/ready');
    if (!container.startupProbe?.httpGet?.path) problems.push(`${name}: no startupProbe`);
    if (name in SERVICE_PORTS && port !== SERVICE_PORTS[name as ServiceName]) problems.push(`${name}: listens on ${port}, not its port ${SERVICE_PORTS[name as ServiceName]}`);
    const env = (container.env ?? []) as Array<{ name: string; value?: string }>;
    if (env.find((e) => e.name === 'NODE_ENV')?.value !== 'production') problems.push(`${name}: NODE_ENV must be production`);
    if (!(pod.terminationGracePeriodSeconds > graceNeeded))
      problems.push(`${name}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} must exceed ${graceNeeded} (SHUTDOWN_TIMEOUT_MS plus the backstop)`);
    const annotations = deployment.spec.template.metadata?.annotations ?? {};
    if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/path'] !== '/metrics' || annotations['prometheus.io/port'] !== String(port)) {
      problems.push(`${name}: prometheus.io scrape annotations must name /metrics on port ${port}`);
    }
    const labels = deployment.spec.template.metadata?.labels ?? {};
    const budgeted = budgets.some((b) => Object.entries(b.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
    if (!budgeted) problems.push(`${name}: no PodDisruptionBudget selects its pods`);
  }
  return problems;
}

/** Every container of every workload: requests and limits, non-root, read-only root, no escalation, no capabilities. */
export function containerViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const pod = podSpec(object);
    if (!pod) continue;
    if (pod.securityContext?.runAsNonRoot !== true || !(pod.securityContext?.runAsUser > 0)) problems.push(`${object.kind} ${object.metadata.name}: pod must run as a non-root uid`);
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = `${object.kind} ${object.metadata.name}/${container.name}`;
      for (const bound of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) if (!container.resources?.[bound]?.[resource]) problems.push(`${where}: no ${resource} ${bound}`);
      }
      const security = container.securityContext ?? {};
      if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem must be read-only`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
      if (JSON.stringify(security.capabilities?.drop) !== '["ALL"]') problems.push(`${where}: must drop ALL capabilities`);
      if (security.runAsUser === 0 || security.privileged) problems.push(`${where}: must not run as root or privileged`);
    }
  }
  return problems;
}

/** Secrets only by reference: no variable that production requires set (the secrets) has a literal value. */
export function secretViolations(objects: K8sObject[]): string[] {
  const secretNames = Object.entries(ENV_SPEC)
    .filter(([, spec]) => 'requiredInProduction' in spec && spec.requiredInProduction)
    .map(([name]) => name);
  const problems: string[] = [];
  for (const object of objects) {
    if (object.kind === 'ConfigMap') {
      for (const key of Object.keys(object.data ?? {})) if (secretNames.includes(key)) problems.push(`ConfigMap ${object.metadata.name}: ${key} is a secret`);
    }
    const pod = podSpec(object);
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      for (const variable of container.env ?? []) {
        if (secretNames.includes(variable.name) && !variable.valueFrom?.secretKeyRef) problems.push(`${object.metadata.name}/${container.name}: ${variable.name} must come from a Secret`);
      }
    }
  }
  return problems;
}

/** A variable the services read: the common table, a sync service's own settings (apps/<service>/README.md), or Node's heap cap. */
function isServiceSetting(name: string): boolean {
  return name in ENV_SPEC || name === 'NODE_OPTIONS' || /^(CATALOG|MEDIA|INVENTORY|CUSTOMER|ORDER_INGEST)_[A-Z0-9_]+$/.test(name);
}

/** What production must not carry: the sandboxes, the demo, test hooks, any Secret with values. */
export function productionViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const text = (o: K8sObject) => JSON.stringify(o);
  for (const object of objects) {
    const where = `${object.kind} ${object.metadata.name}`;
    if (object.kind === 'Secret') problems.push(`${where}: production references its Secret, it never carries one`);
    if (object.kind === 'ConfigMap' && object.metadata.name === SETTINGS) {
      for (const name of Object.keys(object.data ?? {})) if (!isServiceSetting(name)) problems.push(`${where}: ${name} is not a setting the services read`);
    }
    if (/sandbox|demo/i.test(object.metadata.name) || /sandbox/.test(object.metadata.labels?.['app.kubernetes.io/component'] ?? '')) problems.push(`${where}: a sandbox or demo object`);
    if (/(AMC|JOOR)_SANDBOX_|DEMO_|amc-sandbox|joor-sandbox|_sandbox/.test(text(object))) problems.push(`${where}: mentions a sandbox or the demo`);
    for (const container of podSpec(object)?.containers ?? []) {
      if (container.env?.some((e: any) => e.name === 'NODE_ENV' && e.value !== 'production')) problems.push(`${where}: not in production mode`);
      for (const { name } of container.env ?? []) if (!isServiceSetting(name)) problems.push(`${where}: ${name} is not a setting the services read`);
    }
  }
  return problems;
}

/**
 * NetworkPolicies: everything denied by default, and ingress from outside the namespace only to
 * the gateway (Prometheus's scrape from the `monitoring` namespace aside, on the http port only).
 */
export function networkViolations(objects: K8sObject[]): string[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const problems: string[] = [];
  const denyAll = policies.some((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress && ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)));
  if (!denyAll) problems.push('no default-deny policy for ingress and egress');
  for (const policy of policies) {
    const gateway = policy.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'gateway';
    for (const rule of policy.spec.ingress ?? []) {
      const peers: any[] = rule.from ?? [];
      const fromOutside = peers.length === 0 || peers.some((peer) => peer.namespaceSelector || peer.ipBlock);
      if (!fromOutside || gateway) continue;
      const scrapeOnly =
        peers.length > 0 &&
        peers.every((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring' && !peer.podSelector && !peer.ipBlock) &&
        JSON.stringify(rule.ports) === JSON.stringify([{ port: 'http' }]);
      if (!scrapeOnly) problems.push(`NetworkPolicy ${policy.metadata.name}: lets traffic from outside the namespace reach pods other than the gateway`);
    }
  }
  return problems;
}
