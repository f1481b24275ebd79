import { Inject, Injectable } from '@nestjs/common';
import type { FaultKind, FaultPhase } from './fault-rule';
import { SANDBOX_KIT_OPTIONS, type ResolvedSandboxKitOptions } from './sandbox-kit.options';

export interface CallRecord {
  /** 1, 2, 3, ... for the life of the process; DELETE does not reset it, so `since` cursors stay valid. */
  seq: number;
  /** When the request arrived (ISO). */
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string with secret-looking parameters (token, secret, password, key, auth) redacted; '' when none. */
  query: string;
  /** Status sent; 0 when no response was sent (socket destroyed by a 'timeout' fault or the client went away). */
  status: number;
  durationMs: number;
  /** `res.locals.credits` as the app set it (e.g. JOOR's 1 per GET, 5 per write); 0 when unset. */
  credits: number;
  /** `res.locals.account` as the app set it (e.g. the JOOR account id); null when unset. */
  account: string | null;
  /** The injected fault, if any. */
  fault: FaultKind | null;
  /** When that fault struck: `before` the route ran (it did nothing) or `after` (it did its work); null without a fault. */
  faultPhase: FaultPhase | null;
}

export interface CallQuery {
  since?: number;
  pathPrefix?: string;
  limit?: number;
}

export interface CallPage {
  calls: CallRecord[];
  /** Seq of the newest call recorded so far (0 when none): pass it as `since` next time. */
  lastSeq: number;
  /** Calls after `since` that fell out of the ring before this read (deleted ones do not count). */
  missed: number;
}

/** The last N calls in a fixed-size ring: memory stays bounded however long the sandbox runs. */
@Injectable()
export class CallLog {
  private readonly capacity: number;
  private readonly ring: Array<CallRecord | undefined>;
  private size = 0;
  private next = 0;
  private seq = 0;
  /** Calls up to this seq were deleted on purpose: not "missed". */
  private clearedThrough = 0;

  constructor(@Inject(SANDBOX_KIT_OPTIONS) options: Pick<ResolvedSandboxKitOptions, 'callLogSize'>) {
    this.capacity = options.callLogSize;
    this.ring = new Array(this.capacity);
  }

  record(call: Omit<CallRecord, 'seq'>): CallRecord {
    const record = { seq: ++this.seq, ...call };
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    return record;
  }

  list(query: CallQuery = {}): CallPage {
    const since = query.since ?? 0;
    const calls: CallRecord[] = [];
    const oldest = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const call = this.ring[(oldest + i) % this.capacity]!;
      if (call.seq <= since) continue;
      if (query.pathPrefix !== undefined && !call.path.startsWith(query.pathPrefix)) continue;
      calls.push(call);
      if (query.limit !== undefined && calls.length >= query.limit) break;
    }
    const oldestSeq = this.size === 0 ? this.seq + 1 : this.ring[oldest]!.seq;
    return { calls, lastSeq: this.seq, missed: Math.max(0, oldestSeq - 1 - Math.max(since, this.clearedThrough)) };
  }

  clear(): void {
    this.ring.fill(undefined);
    this.size = 0;
    this.next = 0;
    this.clearedThrough = this.seq;
  }
}

const SECRET_PARAM = /token|secret|password|passwd|api[_-]?key|auth|signature/i;

/** Splits a URL into its path and a query string safe to show (secret-looking values redacted). */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  if (q < 0) return { path: url, query: '' };
  const params = new URLSearchParams(url.slice(q + 1));
  const safe = new URLSearchParams();
  for (const [name, value] of params) safe.append(name, SECRET_PARAM.test(name) ? 'REDACTED' : value);
  return { path: url.slice(0, q), query: safe.toString() };
}
