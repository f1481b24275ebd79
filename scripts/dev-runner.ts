import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceName } from '@app/common';

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[91m', '\x1b[96m', '\x1b[95m'];
const RESET = '\x1b[0m';
const useColor = process.stdout.isTTY;

/** One JSON log line made readable: `12:00:01 gateway  info  message {extra}`. */
export function prettyLine(service: string, line: string, color: string): string {
  const tag = useColor ? `${color}${service.padEnd(15)}${RESET}` : service.padEnd(15);
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { time, level, msg, service: _s, context: _c, ...rest } = entry;
    const clock = typeof time === 'string' ? time.slice(11, 19) : '';
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${clock} ${tag} ${String(level).padEnd(5)} ${String(msg ?? '')}${extra}`;
  } catch {
    return `${' '.repeat(8)} ${tag} ${line}`;
  }
}

export interface Running {
  service: ServiceName;
  port: number;
  child: ChildProcess;
}

/** Starts a built service as a child process, its output prefixed and prettified. */
export function startService(root: string, service: ServiceName, port: number, env: NodeJS.ProcessEnv, index: number, args: string[] = []): Running {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', service, 'src', 'main.js'), ...args], {
    // JSON lines, which this runner makes readable with the service's name in front.
    env: { LOG_FORMAT: 'json', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const color = COLORS[index % COLORS.length];
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) process.stdout.write(prettyLine(service, line, color) + '\n');
    });
  }
  return { service, port, child };
}

export async function waitReady(url: string, timeoutMs: number, isAlive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive()) {
    const res = await fetch(`${url}/health/ready`).catch(() => null);
    if (res?.status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** SIGTERM to every child, then wait (bounded) for them all to exit. */
export async function stopAll(running: Running[], timeoutMs: number): Promise<void> {
  const alive = running.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  const exits = alive.map((r) => new Promise<void>((resolve) => r.child.once('exit', () => resolve())));
  for (const r of alive) r.child.kill('SIGTERM');
  const timer = setTimeout(() => alive.forEach((r) => r.child.kill('SIGKILL')), timeoutMs);
  await Promise.all(exits);
  clearTimeout(timer);
}
