/** Parsers for environment values: each returns the value or throws a short reason. */
export type Parser<T> = (raw: string) => T;

export const parseUrl =
  (protocols: string[]): Parser<string> =>
  (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`must be a URL (${protocols.join(' or ')})`);
    }
    if (!protocols.includes(url.protocol.replace(/:$/, ''))) {
      throw new Error(`must use ${protocols.map((p) => `${p}://`).join(' or ')}`);
    }
    if (!url.hostname) throw new Error('must name a host');
    return raw;
  };

export const parseInteger =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    if (!/^\d+$/.test(raw.trim())) throw new Error(`must be a whole number between ${min} and ${max}`);
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`must be between ${min} and ${max}`);
    return value;
  };

export const parseEnum =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) => {
    if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
    return raw as T;
  };

export const parseNonEmpty =
  (minLength = 1): Parser<string> =>
  (raw) => {
    if (raw.trim().length < minLength) throw new Error(minLength > 1 ? `must be at least ${minLength} characters` : 'must not be empty');
    return raw;
  };

export const parseQueuePrefix: Parser<string> = (raw) => {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(raw)) throw new Error('must be 1-40 letters, digits, _ or -');
  return raw;
};

/** Host names or IP addresses separated by commas (lower-cased; no scheme, port or path); empty: none. */
export const parseHostList: Parser<string[]> = (raw) => {
  const hosts = raw
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  const bad = hosts.find((host) => !/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(host));
  if (bad !== undefined) throw new Error('must be host names separated by commas (no scheme, port or path)');
  return hosts;
};

/** A 256-bit key, given as 64 hex characters or as base64 (or base64url) of 32 bytes. */
export const parseKey256: Parser<Buffer> = (raw) => {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('must be 32 bytes as 64 hex characters or base64');
  return key;
};

/**
 * One variable of a service's own settings: the fallback when unset or empty, else the parsed
 * value; a bad value throws an Error that names the variable.
 */
export function readEnv<T>(env: Record<string, string | undefined>, name: string, parse: Parser<T>, fallback: string | number): T {
  const raw = env[name];
  try {
    return parse(raw === undefined || raw === '' ? String(fallback) : raw);
  } catch (err) {
    throw new Error(`${name} ${(err as Error).message}`, { cause: err });
  }
}
