import { parseInteger } from '@app/common';
import type { DemoOptions } from './demo-connection';

/** The demo's knobs, read once here; the services and sandboxes get them as their own variables. */
export interface StartOptions {
  demo: DemoOptions;
  /** Environment given to every process `npm start` runs. */
  serviceEnv: Record<string, string>;
  /** How long the demo's JOOR takes to match a new customer (DEMO_JOOR_CONNECTION_DELAY_SECONDS). */
  joorConnectionDelaySeconds: number;
}

const SANDBOX_DEV = {
  amcToken: 'amc-sandbox-token',
  joor: {
    clientId: 'joor-sandbox-client',
    clientSecret: 'joor-sandbox-client-secret',
    username: 'brand@example.com',
    password: 'joor-sandbox-password',
    v2Token: 'joor-sandbox-v2-token',
  },
};

export function loadStartOptions(env: Record<string, string | undefined>): StartOptions {
  const read = (name: string, min: number, max: number, fallback: string) => {
    try {
      return parseInteger(min, max)(env[name] || fallback);
    } catch (err) {
      throw new Error(`${name} ${(err as Error).message}`, { cause: err });
    }
  };
  const styles = read('DEMO_STYLES', 1, 25_000, '60');
  const seed = read('DEMO_SEED', 0, 2 ** 31 - 1, '1');
  // JOOR's real window is 300 s; the demo keeps its 300 credits but a 30 s window so the first
  // full sync finishes in minutes. DEMO_JOOR_WINDOW_SECONDS=300 gives the real pacing.
  const windowSeconds = read('DEMO_JOOR_WINDOW_SECONDS', 1, 86_400, '30');
  const credits = read('DEMO_JOOR_CREDITS_PER_WINDOW', 10, 1_000_000, '300');
  // JOOR's data team takes 2-3 business days to match a new customer; the demo's JOOR takes ten minutes
  // (the demo's customers show one pending when it prints them), and customer-sync looks a pending
  // customer up again after a minute instead of a day.
  const connectionDelaySeconds = read('DEMO_JOOR_CONNECTION_DELAY_SECONDS', 0, 86_400, '600');
  return {
    demo: { styles, seed, amcUrl: 'http://127.0.0.1:4001', joorUrl: 'http://127.0.0.1:4002', ...SANDBOX_DEV },
    joorConnectionDelaySeconds: connectionDelaySeconds,
    serviceEnv: {
      AMC_SANDBOX_SEED_STYLES: String(styles),
      AMC_SANDBOX_SEED: String(seed),
      JOOR_SANDBOX_SEED_STYLES: String(styles),
      JOOR_SANDBOX_SEED: String(seed),
      JOOR_SANDBOX_CREDITS_PER_WINDOW: String(credits),
      JOOR_SANDBOX_WINDOW_SECONDS: String(windowSeconds),
      JOOR_CREDITS_PER_WINDOW: String(credits),
      JOOR_CREDIT_WINDOW_SECONDS: String(windowSeconds),
      JOOR_SANDBOX_CONNECTION_DELAY_SECONDS: String(connectionDelaySeconds),
      CUSTOMER_PENDING_RECHECK_MINUTES: '1',
    },
  };
}
