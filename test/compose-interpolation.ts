import { randomBytes } from 'node:crypto';

/**
 * Docker Compose's variable interpolation, for checking the compose file offline: `$$`, `$VAR`,
 * `${VAR}`, `${VAR:-default}` / `${VAR-default}`, `${VAR:?error}` / `${VAR?error}`,
 * `${VAR:+other}` / `${VAR+other}`, defaults themselves interpolated (nesting) as compose does.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      i += 1;
    } else if (text[i + 1] === '$') {
      out += '$';
      i += 2;
    } else if (text[i + 1] === '{') {
      const end = closingBrace(text, i + 2);
      out += substitute(text.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (!name) throw new Error(`invalid interpolation at "${text.slice(i)}"`);
      out += env[name] ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unclosed \${ in "${text}"`);
}

function substitute(expression: string, env: Record<string, string | undefined>): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(expression);
  if (!match) throw new Error(`invalid interpolation "\${${expression}}"`);
  const [, name, colon, operator, rest = ''] = match;
  const value = env[name];
  // With the colon an empty value counts as unset, as in the shell.
  const set = colon ? value !== undefined && value !== '' : value !== undefined;
  if (operator === '-') return set ? value! : interpolate(rest, env);
  if (operator === '?') {
    if (!set) throw new Error(`required variable ${name} is missing a value: ${interpolate(rest, env)}`);
    return value!;
  }
  if (operator === '+') return set ? interpolate(rest, env) : '';
  return value ?? '';
}

/**
 * The variables a README shell block exports (`export A=... B=...`), as the shell would give them:
 * `$(openssl rand -hex N)` becomes N random bytes in hex; any other command substitution is refused.
 */
export function readmeExports(block: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of block.split('\n').filter((l) => l.trim().startsWith('export '))) {
    for (const [, name, raw] of line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\$\([^)]*\)|"[^"]*"|'[^']*'|\S+)/g)) {
      const command = /^\$\((.*)\)$/.exec(raw)?.[1];
      if (command !== undefined) {
        const bytes = /^openssl rand -hex (\d+)$/.exec(command.trim())?.[1];
        if (!bytes) throw new Error(`cannot emulate $(${command}) of ${name}`);
        env[name] = randomBytes(Number(bytes)).toString('hex');
      } else env[name] = raw.replace(/^(["'])(.*)\1$/, '$2');
    }
  }
  return env;
}
