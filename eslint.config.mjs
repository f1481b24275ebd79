// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * The layers of ../shared/HOUSE-STYLE.md ("who may import whom"), enforced: a forbidden import in
 * product code fails `npm run lint`. Tests (specs, e2e, libs/testing, test/) may import anything.
 *
 *   contracts, util, tracing               nothing of ours (no Nest, no TypeORM); tracing: OpenTelemetry only
 *   amc-client, joor-budget, joor-client   contracts, util, tracing (joor-client also joor-budget); HTTP only
 *   mapping                                contracts, util; pure (no clients, no I/O libraries)
 *   common, persistence                    contracts, util (common also tracing); never each other
 *   sync-core                              the clients, joor-budget, mapping, persistence, common
 *   apps/<service>                         the libs above; never another app, never sandbox or test code
 *   sandboxes (apps/*-sandbox, sandbox-kit, sandbox-seed)  common, util, contracts, each other;
 *                                          never the clients, mappers or sync code they stand in for
 */
const LIBS = ['contracts', 'util', 'tracing', 'common', 'persistence', 'amc-client', 'joor-budget', 'joor-client', 'mapping', 'sync-core', 'sandbox-kit', 'sandbox-seed', 'testing'];
const APPS = ['gateway', 'catalog-sync', 'media-sync', 'inventory-sync', 'customer-sync', 'order-ingest', 'amc-sandbox', 'joor-sandbox'];
const SERVICE_LIBS = ['contracts', 'util', 'tracing', 'common', 'persistence', 'amc-client', 'joor-budget', 'joor-client', 'mapping', 'sync-core'];
const SANDBOX_LIBS = ['contracts', 'util', 'common', 'sandbox-kit', 'sandbox-seed'];

const NEST_AND_STORES = ['@nestjs/*', 'typeorm', 'pg', '@nestjs/typeorm'];

/** The layer rules of some product files: which of our libs they may import, and which packages they may not. */
function layer(files, { allowed, packages = [], why, self }) {
  const forbiddenLibs = LIBS.filter((lib) => lib !== self && !allowed.includes(lib));
  return {
    files,
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbiddenLibs.map((lib) => ({ group: [`@app/${lib}`, `@app/${lib}/*`], message: `${why} may not import @app/${lib} (see eslint.config.mjs: the layers).` })),
            ...(packages.length ? [{ group: packages, message: `${why} stays free of ${packages.join(', ')}.` }] : []),
            { regex: '(^|/)(apps|libs)/', message: `${why} imports through @app/<lib> aliases, never by a path into another app or lib.` },
            { group: ['@app/*/*'], message: 'Import a library through its barrel (@app/<lib>), not a file inside it.' },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Wire shapes and Nest/BullMQ generics are typed where they meet our code; `any` is kept to those edges.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Enqueueing goes through the typed producer (payload checked against the job's contract).
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(add|addBulk|upsertJobScheduler)$/][callee.object.name=/[Qq]ueue$/]',
          message: 'Enqueue through the typed producer (JobProducer / enqueue in @app/contracts), never queue.add directly.',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(add|addBulk|upsertJobScheduler)$/][callee.object.property.name=/[Qq]ueue$/]',
          message: 'Enqueue through the typed producer (JobProducer / enqueue in @app/contracts), never queue.add directly.',
        },
        {
          selector: "CallExpression[callee.property.name=/^(add|addBulk|upsertJobScheduler)$/][callee.object.type='CallExpression'][callee.object.callee.property.name='queue']",
          message: 'Enqueue through the typed producer (JobProducer / enqueue in @app/contracts), never queue.add directly.',
        },
      ],
    },
  },
  layer(['libs/contracts/src/**/*.ts'], { self: 'contracts', allowed: [], packages: [...NEST_AND_STORES, 'ioredis'], why: 'contracts' }),
  layer(['libs/util/src/**/*.ts'], { self: 'util', allowed: [], packages: [...NEST_AND_STORES, 'ioredis', 'bullmq'], why: 'the helper leaf (util)' }),
  layer(['libs/tracing/src/**/*.ts'], { self: 'tracing', allowed: [], packages: NEST_AND_STORES, why: 'tracing (OpenTelemetry only)' }),
  layer(['libs/amc-client/src/**/*.ts'], { self: 'amc-client', allowed: ['contracts', 'util', 'tracing'], packages: NEST_AND_STORES, why: 'the AMC client' }),
  layer(['libs/joor-budget/src/**/*.ts'], { self: 'joor-budget', allowed: ['contracts', 'util'], packages: NEST_AND_STORES, why: 'the JOOR credit budget' }),
  layer(['libs/joor-client/src/**/*.ts'], { self: 'joor-client', allowed: ['contracts', 'util', 'joor-budget', 'tracing'], packages: NEST_AND_STORES, why: 'the JOOR client' }),
  layer(['libs/mapping/src/**/*.ts'], { self: 'mapping', allowed: ['contracts', 'util'], packages: [...NEST_AND_STORES, 'ioredis', 'bullmq'], why: 'mapping (pure)' }),
  layer(['libs/common/src/**/*.ts'], { self: 'common', allowed: ['contracts', 'util', 'tracing'], why: 'common' }),
  layer(['libs/persistence/src/**/*.ts'], { self: 'persistence', allowed: ['contracts', 'util'], why: 'persistence' }),
  layer(['libs/sync-core/src/**/*.ts'], {
    self: 'sync-core',
    allowed: ['contracts', 'util', 'tracing', 'common', 'persistence', 'amc-client', 'joor-budget', 'joor-client', 'mapping'],
    why: 'sync-core',
  }),
  layer(['libs/sandbox-seed/src/**/*.ts'], { self: 'sandbox-seed', allowed: ['contracts', 'util'], packages: NEST_AND_STORES, why: 'the sandbox seed' }),
  layer(['libs/sandbox-kit/src/**/*.ts'], { self: 'sandbox-kit', allowed: SANDBOX_LIBS, why: 'the sandbox kit' }),
  ...APPS.map((app) => {
    const sandbox = app.endsWith('-sandbox');
    const rules = layer([`apps/${app}/src/**/*.ts`], { allowed: sandbox ? SANDBOX_LIBS : SERVICE_LIBS, why: sandbox ? `the ${app} (a sandbox)` : `${app} (a service)` });
    const others = APPS.filter((a) => a !== app);
    rules.rules['no-restricted-imports'][1].patterns.push({ regex: `(^|/)(${others.join('|')})(/|$)`, message: `${app} never imports another app.` });
    return rules;
  }),
);
