import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as kubernetes from 'kubernetes-models';
import * as keda from '@kubernetes-models/keda';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';

/** Rendering and validating k8s/: what test/k8s.spec.ts asserts its rules on. */
export const K8S_DIR = join(__dirname, '..', 'k8s');
export const OVERLAYS = ['base', 'overlays/demo', 'overlays/demo-tracing', 'overlays/production'] as const;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** `kubectl kustomize <dir>`, parsed. */
export function render(dir: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', join(K8S_DIR, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const error = err as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT') throw new Error('kubectl is not installed: the k8s manifests are built with `kubectl kustomize` (install kubectl 1.27 or later)', { cause: err });
    throw new Error(`kubectl kustomize ${dir} failed: ${error.stderr ?? error.message}`, { cause: err });
  }
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

const MODEL_LIBRARIES: Array<Record<string, any>> = [kubernetes, keda, prometheusOperator];

/** `networking.k8s.io` → `networkingK8sIo`, as the model libraries name their groups. */
function groupKey(group: string): string {
  return group
    .split(/[.-]/)
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** Validates one object against its kind's schema; an unknown kind is an error too. */
export function validate(object: K8sObject): void {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const Model = MODEL_LIBRARIES.map((library) => (group ? library[groupKey(group)] : library)?.[version]?.[object.kind]).find((found) => typeof found === 'function');
  if (!Model) throw new Error(`${object.apiVersion} ${object.kind} ${object.metadata?.name}: no schema knows this kind`);
  // kustomize wraps long base64 values over lines, which the API server's decoder skips and the schema's `byte` format does not.
  const body = object.kind === 'Secret' && object.data ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/\s/g, '')])) } : object;
  try {
    new Model(body).validate();
  } catch (err) {
    throw new Error(`${object.kind} ${object.metadata?.name}: ${(err as Error).message}`, { cause: err });
  }
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

/** The pod spec of a workload (Deployment, StatefulSet, Job), or undefined for other kinds. */
export function podSpec(object: K8sObject): Record<string, any> | undefined {
  return ['Deployment', 'StatefulSet', 'Job'].includes(object.kind) ? object.spec?.template?.spec : undefined;
}
