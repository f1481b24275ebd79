import { timingSafeEqual } from 'node:crypto';

/**
 * AMC's auth: `token` and `time` (Unix seconds) with every request; no signature. Returns the
 * reason to refuse, or null. The reason never echoes the token. Pure.
 */
export function authProblem(given: { token?: string; time?: string }, expectedToken: string, maxSkewSeconds: number, nowSeconds: number): string | null {
  if (!given.token) return 'Missing token';
  const a = Buffer.from(given.token);
  const b = Buffer.from(expectedToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'Invalid token';
  if (!given.time || !/^\d{1,12}$/.test(given.time)) return 'Missing or invalid time';
  if (maxSkewSeconds > 0 && Math.abs(nowSeconds - Number(given.time)) > maxSkewSeconds) return 'Request time is too far from server time';
  return null;
}

/** A fixed one-second window per token; answers the seconds to wait, or 0 when the request may go. */
export class PerTokenRateLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();

  take(token: string, limitPerSecond: number, nowMs: number): number {
    if (limitPerSecond <= 0) return 0;
    const second = Math.floor(nowMs / 1000);
    const window = this.windows.get(token);
    if (!window || window.second !== second) {
      this.windows.set(token, { second, count: 1 });
      return 0;
    }
    window.count += 1;
    return window.count > limitPerSecond ? 1 : 0;
  }
}
