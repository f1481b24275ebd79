import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** Adds attributes to the span in progress (the job's, the call's), if tracing is on and there is one. */
export function annotateSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** The attribute names this integration adds, in one place. */
export const SPAN_ATTRIBUTES = {
  connectionId: 'amcjoor.connection_id',
  runId: 'amcjoor.run_id',
  kind: 'amcjoor.sync_kind',
  joorCredits: 'joor.credits',
  joorAccount: 'joor.account',
} as const;

/** Runs `fn` in a span of its own (a child of the span in progress); a no-op span when tracing is off. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer('amcjoor').startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A URL as it may be kept in a trace: credentials in the query or the user part masked (AMC puts its token in the query). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|client_secret|password|api_?key|secret)=)[^&#]*/gi, '$1[REDACTED]').replace(/\/\/([^/@:]+):[^/@]+@/, '//$1:[REDACTED]@');
}
