import type { SeedOptions } from './brand.model';
import { MAX_SEED_STYLES } from './brand.generator';

const USAGE = 'usage: --styles N --seed S [--customers N] [--orders N] [--now ISO-DATE]';
const INTEGER_FLAGS = { '--styles': 'styles', '--seed': 'seed', '--customers': 'customers', '--orders': 'orders' } as const;

/**
 * Reads `--styles N --seed S [--customers N] [--orders N] [--now ISO]` (also `--flag=value`).
 * Throws an Error whose message names the flag and shows the usage; unknown flags are errors,
 * so a typo never silently seeds a different brand.
 */
export function parseSeedArgs(argv: readonly string[]): SeedOptions {
  const values: Partial<Record<'styles' | 'seed' | 'customers' | 'orders', number>> = {};
  let now: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!(flag in INTEGER_FLAGS) && flag !== '--now') throw new Error(`unknown argument "${arg}"; ${USAGE}`);
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--now') {
      if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(value) || Number.isNaN(Date.parse(value))) throw new Error(`--now must be an ISO UTC date like 2026-11-01T00:00:00Z, got "${value}"`);
      now = value;
      continue;
    }
    if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a non-negative integer, got "${value}"`);
    const key = INTEGER_FLAGS[flag as keyof typeof INTEGER_FLAGS];
    if (values[key] !== undefined) throw new Error(`${flag} given twice`);
    values[key] = Number(value);
  }
  if (values.styles === undefined) throw new Error(`--styles is required; ${USAGE}`);
  if (values.seed === undefined) throw new Error(`--seed is required; ${USAGE}`);
  if (values.styles < 1 || values.styles > MAX_SEED_STYLES) throw new Error(`--styles must be from 1 to ${MAX_SEED_STYLES}, got ${values.styles}`);
  if (values.seed > 0xffffffff) throw new Error(`--seed must be at most 4294967295, got ${values.seed}`);
  if (values.customers !== undefined && values.customers < 1) throw new Error('--customers must be at least 1');
  const options: SeedOptions = { styles: values.styles, seed: values.seed };
  if (values.customers !== undefined) options.customers = values.customers;
  if (values.orders !== undefined) options.orders = values.orders;
  if (now !== undefined) options.now = now;
  return options;
}
