/** One attempt of a call to AMC or JOOR, as their clients tell it (for logs, metrics and outage tracking); never a secret. */
export interface ApiCallEvent {
  method: string;
  path: string;
  /** The HTTP status; null when the API was not reached or did not answer. */
  status: number | null;
  attempt: number;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'failed';
  reason?: string;
}
