import { sandboxControlRoutes } from '@app/sandbox-kit';
import { parseEnum, parseInteger, parseNonEmpty, readEnv } from '@app/common';

export const PAGING_STYLES = ['last_id', 'page_number'] as const;
export type PagingStyle = (typeof PAGING_STYLES)[number];
/** The largest page cap the sandbox takes (`AMC_SANDBOX_MAX_PAGE_SIZE`, `maxPageSize`); the smallest is 1. */
export const MAX_PAGE_SIZE_LIMIT = 5000;

export interface AmcSandboxConfig {
  /** The API token every request must carry. */
  token: string;
  /** Paging style this "account" answers with (a setting, as it differs between real accounts). */
  paging: PagingStyle;
  /** Records per page when `pagination[page_size]` is absent (still cut to `maxPageSize`). */
  defaultPageSize: number;
  /** Records per page at most, whatever the client asks for (any value from 1); `PUT /_sandbox/settings {maxPageSize}` changes it at run time. */
  maxPageSize: number;
  /** Requests with a `time` further than this from the sandbox clock are refused; 0 = not checked. */
  maxClockSkewSeconds: number;
  /** Per-token requests per second before a 429; 0 = unlimited (the real AMC publishes no limit). */
  rateLimitPerSecond: number;
  /** Styles seeded at boot when the schema is empty; 0 = start empty. */
  seedStylesOnBoot: number;
  seed: number;
  /** Seed of the fault dice (repeatable fault runs); random when unset. */
  faultSeed?: number;
  /** `/_sandbox/*` mounted (SANDBOX_CONTROL; off by default under NODE_ENV=production). */
  controlRoutes: boolean;
}

type Env = Record<string, string | undefined>;

/** Sandbox-only settings; safe development defaults. */
export function loadAmcSandboxConfig(env: Env = process.env): AmcSandboxConfig {
  return {
    token: readEnv(env, 'AMC_SANDBOX_TOKEN', parseNonEmpty(8), 'amc-sandbox-token'),
    paging: readEnv(env, 'AMC_SANDBOX_PAGING', parseEnum(PAGING_STYLES), 'last_id'),
    defaultPageSize: readEnv(env, 'AMC_SANDBOX_DEFAULT_PAGE_SIZE', parseInteger(1, 1000), '100'),
    maxPageSize: readEnv(env, 'AMC_SANDBOX_MAX_PAGE_SIZE', parseInteger(1, MAX_PAGE_SIZE_LIMIT), '1000'),
    maxClockSkewSeconds: readEnv(env, 'AMC_SANDBOX_MAX_CLOCK_SKEW_SECONDS', parseInteger(0, 86_400), '900'),
    rateLimitPerSecond: readEnv(env, 'AMC_SANDBOX_RATE_LIMIT_PER_SECOND', parseInteger(0, 10_000), '0'),
    seedStylesOnBoot: readEnv(env, 'AMC_SANDBOX_SEED_STYLES', parseInteger(0, 50_000), '50'),
    seed: readEnv(env, 'AMC_SANDBOX_SEED', parseInteger(0, 2 ** 31 - 1), '1'),
    controlRoutes: sandboxControlRoutes(env),
    faultSeed: env.AMC_SANDBOX_FAULT_SEED ? readEnv(env, 'AMC_SANDBOX_FAULT_SEED', parseInteger(0, 2 ** 32 - 1), '0') : undefined,
  };
}
