import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@app/common';
export { freePort } from '@app/util';
import { waitFor } from './wait';

const ROOT = join(__dirname, '..', '..', '..');

export function builtEntry(service: ServiceName): string {
  const entry = join(ROOT, 'dist', 'apps', service, 'src', 'main.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: these tests run the built services; run \`npm run build\` first (npm test does).`);
  }
  return entry;
}

/** A test main built into dist-test/ (`npm run build:test-mains`, which npm test runs). */
export function builtTestMain(relativePath: string): string {
  const entry = join(ROOT, 'dist-test', relativePath);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build:test-mains\` first (npm test does).`);
  return entry;
}

/** A service started as its own process from the build, as production runs it. */
export class ServiceProcess {
  readonly output: string[] = [];
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly service: ServiceName,
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.output.push(...chunk.split('\n').filter(Boolean)));
    }
  }

  /** `entry`: a test's own main (built by `npm run build:test-mains` into dist-test/) instead of the service's. */
  static start(service: ServiceName, env: NodeJS.ProcessEnv, port: number, entry: string = builtEntry(service)): ServiceProcess {
    const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ServiceProcess(service, port, child);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Waits until `/health/ready` answers 200. */
  async ready(timeoutMs = 30_000): Promise<void> {
    let exited = false;
    void this.exit.then(() => (exited = true));
    await waitFor(
      `${this.service} to become ready`,
      async () => {
        if (exited) throw new Error(`${this.service} exited during start:\n${this.output.slice(-20).join('\n')}`);
        const res = await fetch(`${this.url}/health/ready`).catch(() => null);
        return res?.status === 200;
      },
      timeoutMs,
      100,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- ${this.service} output ---\n${this.output.slice(-30).join('\n')}`);
    });
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit;
  }

  /** Sends the signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }
}
