/** What a sandbox app passes to `SandboxKitModule.forRoot()`, usually from its own config file. */
export interface SandboxKitOptions {
  /** Seed for the fault dice, so a run is repeatable; a POST to /_sandbox/faults may set another. Default: random. */
  faultSeed?: number;
  /** How long a 'timeout' fault holds the request before destroying the socket. Default 30 s: longer than any sane client timeout. */
  timeoutMs?: number;
  /** How long a 'slow' fault delays the request before handling it normally. Default 2 s. */
  slowMs?: number;
  /** Retry-After of an injected 429, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Calls kept in the in-memory log; older ones drop off. Default 10,000. */
  callLogSize?: number;
  /** Path prefixes neither faulted nor logged, besides /_sandbox. Default ['/health', '/metrics'] (probes must not flap under a fault test). */
  exemptPrefixes?: string[];
  /** Body of an injected 429/500/503, in the sandbox's own envelope. Default `{ error: { status, message } }`. */
  errorBody?: (status: number, message: string) => unknown;
  /** Whether /_sandbox/faults and /_sandbox/calls are mounted (see `sandboxControlRoutes`). Default true. */
  controlRoutes?: boolean;
}

export type ResolvedSandboxKitOptions = Required<Omit<SandboxKitOptions, 'faultSeed'>> & Pick<SandboxKitOptions, 'faultSeed'>;

export const SANDBOX_KIT_OPTIONS = Symbol('SANDBOX_KIT_OPTIONS');

export function resolveSandboxKitOptions(options: SandboxKitOptions): ResolvedSandboxKitOptions {
  return {
    faultSeed: options.faultSeed,
    timeoutMs: options.timeoutMs ?? 30_000,
    slowMs: options.slowMs ?? 2_000,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    callLogSize: options.callLogSize ?? 10_000,
    exemptPrefixes: options.exemptPrefixes ?? ['/health', '/metrics'],
    errorBody: options.errorBody ?? ((status, message) => ({ error: { status, message } })),
    controlRoutes: options.controlRoutes ?? true,
  };
}
