import { createHash } from 'node:crypto';
import { generateBrand, parseSeedArgs } from '@app/sandbox-seed';

/**
 * `npm run seed -- --styles N --seed S [--customers N] [--orders N] [--print]`
 * Seeds the running AMC and JOOR sandboxes with the same generated brand (through their
 * `/_sandbox/seed`), or with --print writes the brand as JSON to stdout instead (same options,
 * same bytes: compare with sha256sum). Sandbox URLs: AMC_SANDBOX_URL, JOOR_SANDBOX_URL.
 */
async function main(argv: string[]): Promise<void> {
  const print = argv.includes('--print');
  const options = parseSeedArgs(argv.filter((arg) => arg !== '--print'));
  if (print) {
    const json = JSON.stringify(generateBrand(options));
    process.stdout.write(json + '\n');
    process.stderr.write(`sha256 ${createHash('sha256').update(json).digest('hex')}\n`);
    return;
  }
  const targets = [
    ['AMC sandbox', process.env.AMC_SANDBOX_URL || 'http://127.0.0.1:4001'],
    ['JOOR sandbox', process.env.JOOR_SANDBOX_URL || 'http://127.0.0.1:4002'],
  ] as const;
  for (const [name, url] of targets) {
    const res = await fetch(`${url}/_sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${name} at ${url} answered ${res.status}: ${text}`);
    console.log(`${name} seeded: ${text}`);
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
