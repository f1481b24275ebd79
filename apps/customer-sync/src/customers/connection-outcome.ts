/**
 * How customer-sync reads what JOOR says of each customer it sent (pure). JOOR's bulk-connection is
 * an asynchronous job; its answer may carry the job's log inline (`connection_log`: a status and a
 * message per customer) or only the job's id and status. The statuses are not on public record
 * beyond our sandbox's `Pending` / `Updated` / `Error`, so they are read by meaning.
 */

export type ConnectionOutcome = 'active' | 'pending' | 'failed' | 'unknown';

/** A log entry's status: refused (error words first), waiting for JOOR's data team, known to JOOR, or none of these. */
export function outcomeOf(status: string): ConnectionOutcome {
  const s = status.trim().toLowerCase();
  if (/error|fail|invalid|reject|refus|denied/.test(s)) return 'failed';
  if (/pending|queued|review|waiting|processing|new|created|received/.test(s)) return 'pending';
  if (/inactive|disconnected/.test(s)) return 'unknown';
  if (/updated|success|\bok\b|connected|matched|active|exist|unchanged/.test(s)) return 'active';
  return 'unknown';
}

/** A job status saying JOOR's job ended without doing the work. */
export function jobFailed(status: string | null): boolean {
  return status !== null && /error|fail|cancel|abort|reject/i.test(status);
}

export interface LogEntry {
  customer_code: string | null;
  status: string;
  message: string;
}

/**
 * The log entry of each sent customer, by position in `codes`: matched on the code (exactly, then
 * trimmed and case-blind), or by position when no entry names a code and the log is as long as the
 * call. Undefined: the log says nothing of that customer.
 */
export function pairLog(codes: string[], log: LogEntry[]): Array<LogEntry | undefined> {
  if (log.length === codes.length && log.every((e) => e.customer_code === null)) return [...log];
  const exact = new Map<string, LogEntry>();
  const loose = new Map<string, LogEntry>();
  for (const entry of log) {
    if (entry.customer_code === null) continue;
    if (!exact.has(entry.customer_code)) exact.set(entry.customer_code, entry);
    const key = entry.customer_code.trim().toLowerCase();
    if (!loose.has(key)) loose.set(key, entry);
  }
  return codes.map((code) => exact.get(code) ?? loose.get(code.trim().toLowerCase()));
}
