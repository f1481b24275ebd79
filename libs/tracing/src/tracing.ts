import { basename, dirname } from 'node:path';
import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { redactUrl } from './span-attributes';

type Env = Record<string, string | undefined>;

/**
 * Tracing is off unless the standard OpenTelemetry variables ask for it: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or an exporter
 * (`OTEL_TRACES_EXPORTER`, not `none`); `OTEL_SDK_DISABLED=true` wins. (Left to itself the SDK
 * would export to localhost:4318 whenever it is started; a service with nothing listening there
 * should not try.)
 */
export function tracingEnabled(env: Env = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').toLowerCase() === 'true') return false;
  const exporter = (env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase();
  if (exporter === 'none') return false;
  return exporter !== '' || !!env.OTEL_EXPORTER_OTLP_ENDPOINT || !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
}

/** The service's name: `OTEL_SERVICE_NAME`, else the app the process runs (`dist/apps/<name>/src/main.js`). */
export function serviceNameOf(env: Env = process.env, entry = process.argv[1] ?? ''): string {
  if (env.OTEL_SERVICE_NAME) return env.OTEL_SERVICE_NAME;
  const srcDir = dirname(entry);
  return basename(srcDir) === 'src' ? basename(dirname(srcDir)) : 'amcjoor';
}

let sdk: NodeSDK | null = null;
let telemetry: Telemetry | undefined;

/**
 * Starts OpenTelemetry when it is asked for (see `tracingEnabled`): incoming and outgoing HTTP
 * (node:http for the gateway's and probes' requests, undici for `fetch`, which the AMC and JOOR
 * clients use), PostgreSQL (pg), and BullMQ through `bullmqTelemetry()`, exported over OTLP as the
 * standard variables say. Must run before the modules it instruments are loaded: each `main.ts`
 * imports this library first.
 */
export function startTracing(env: Env = process.env): boolean {
  if (sdk || !tracingEnabled(env)) return sdk !== null;
  // Loaded only when on: the SDK and its instrumentations cost nothing when tracing is off.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new NodeSDK({
    serviceName: serviceNameOf(env),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would bury the traces that matter.
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)(\/|$|\?)/.test(req.url ?? ''),
        // The services' own outgoing node:http calls are few (the AMC and JOOR clients use fetch); none carries a secret in its URL, but be sure.
        requestHook: (span, request) => {
          if ('path' in request && typeof request.path === 'string') span.setAttribute('url.path', redactUrl(request.path).split('?')[0]);
        },
      }),
      // AMC takes its token in the query string: never into a trace.
      new UndiciInstrumentation({
        requestHook: (span, request) => {
          const query = request.path.includes('?') ? request.path.slice(request.path.indexOf('?')) : '';
          span.setAttributes({ 'url.full': redactUrl(`${request.origin}${request.path}`), 'url.query': redactUrl(query) });
        },
      }),
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
  sdk.start();
  telemetry = new BullMQOtel({ tracerName: 'bullmq' }) as unknown as Telemetry;
  const stop = () => void shutdownTracing();
  process.once('beforeExit', stop);
  return true;
}

/** BullMQ's telemetry for queues and workers (producer and consumer spans, the trace carried in the job): undefined when tracing is off. */
export function bullmqTelemetry(): Telemetry | undefined {
  return telemetry;
}

/** Sends what is buffered and stops (on shutdown). */
export async function shutdownTracing(): Promise<void> {
  const current = sdk;
  sdk = null;
  telemetry = undefined;
  await current?.shutdown().catch(() => undefined);
}
