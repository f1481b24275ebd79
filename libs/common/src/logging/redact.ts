export const REDACTED = '[REDACTED]';

const SECRET_KEY = /(token|secret|password|passwd|authorization|api[-_]?key|cookie|credential|encryption[-_]?key)/i;

/** Credentials that can hide inside free text: query strings, form bodies, auth headers, URLs. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/((?:access_|refresh_|v2_)?token|client_secret|password|api_key|apikey)=([^&\s"']+)/gi, `$1=${REDACTED}`],
  [/("(?:access_|refresh_)?token"|"client_secret"|"password"|"clientSecret"|"v2Token"|"apiKey")\s*:\s*"[^"]*"/gi, `$1:"${REDACTED}"`],
  [/\b(Bearer|OAuth2|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+):[^@\s/]+@/gi, `$1:${REDACTED}@`],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy with every secret-looking key masked and secrets in strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && typeof item !== 'boolean' ? REDACTED : redact(item, depth + 1);
  }
  return out;
}
