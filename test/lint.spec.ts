import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** ESLint's verdict on `code` as if it were the file at `filePath` (the repository's eslint.config.mjs applies). */
function lint(filePath: string, code: string): string[] {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: ROOT,
    input: code,
    encoding: 'utf8',
  });
  if (!result.stdout) throw new Error(`eslint gave no answer: ${result.stderr}`);
  const [file] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return file.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

/** The layers of HOUSE-STYLE.md, enforced by `npm run lint` (CI runs it): each forbidden import is refused. */
describe('lint: the layers and the typed enqueue', () => {
  jest.setTimeout(60_000);

  it.each([
    ['libs/mapping/src/catalog/x.ts', "import { AmcClient } from '@app/amc-client';\nexport const x = AmcClient;\n", /mapping \(pure\) may not import @app\/amc-client/],
    ['libs/joor-client/src/x.ts', "import { PersistenceModule } from '@app/persistence';\nexport const x = PersistenceModule;\n", /the JOOR client may not import @app\/persistence/],
    ['libs/joor-client/src/x.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n", /stays free of @nestjs/],
    ['libs/common/src/x.ts', "import { PersistenceModule } from '@app/persistence';\nexport const x = PersistenceModule;\n", /common may not import @app\/persistence/],
    ['libs/contracts/src/x.ts', "import { sleep } from '@app/util';\nexport const x = sleep;\n", /contracts may not import @app\/util/],
    ['apps/amc-sandbox/src/x.ts', "import { AmcClient } from '@app/amc-client';\nexport const x = AmcClient;\n", /amc-sandbox \(a sandbox\) may not import @app\/amc-client/],
    [
      'apps/catalog-sync/src/x.ts',
      "import { OrderPollService } from '../../order-ingest/src/orders/order-poll.service';\nexport const x = OrderPollService;\n",
      /catalog-sync never imports another app/,
    ],
    ['apps/gateway/src/x.ts', "import { startCatalogStack } from '@app/testing';\nexport const x = startCatalogStack;\n", /may not import @app\/testing/],
    ['apps/gateway/src/x.ts', "import { EntityLinkRepository } from '@app/persistence/repositories/entity-link.repository';\nexport const x = EntityLinkRepository;\n", /through its barrel/],
    ['scripts/x.ts', "declare const queue: { add(...args: unknown[]): void };\nqueue.add('catalog.sync', {});\n", /never queue.add directly/],
  ])('refuses %s: %#', (filePath, code, expected) => {
    expect(lint(filePath, code).join('\n')).toMatch(expected);
  });

  it('takes what the layers allow', () => {
    expect(
      lint('libs/sync-core/src/x.ts', "import { AmcClient } from '@app/amc-client';\nimport { PersistenceModule } from '@app/persistence';\nexport const x = [AmcClient, PersistenceModule];\n"),
    ).toEqual([]);
    expect(lint('apps/catalog-sync/src/x.ts', "import { mapStyle } from '@app/mapping';\nexport const x = mapStyle;\n")).toEqual([]);
  });
});
