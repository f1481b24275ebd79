/**
 * OpenTelemetry for the services, off unless the standard OTEL_* variables turn it on. Importing
 * this library starts it (when on), so each `main.ts` imports it before anything else: the
 * instrumentations must be in place before the modules they patch are loaded.
 */
import { startTracing } from './tracing';

export * from './span-attributes';
export * from './tracing';

startTracing();
