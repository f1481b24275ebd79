import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { shutdownTracing } from '@app/tracing';
import { loadConfig, type AppConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';
import type { ServiceName } from '../config/services';
import { AppLogger } from '../logging/app-logger';
import { useAppLogging } from '../logging/use-app-logging';

export interface RunServiceOptions {
  service: ServiceName;
  module: (config: AppConfig) => DynamicModule;
  /** App-level setup shared with the e2e tests (pipes, docs, ...). */
  configure?: (app: INestApplication, config: AppConfig) => void | Promise<void>;
}

/**
 * The whole of every `main.ts`: validate the environment (exit 1 naming each bad variable),
 * boot, listen, and on SIGTERM/SIGINT close gracefully (drain, disconnect) and exit 0.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(options.service);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${options.service} refused to start. ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = new AppLogger({ service: options.service, level: config.logLevel, format: config.logFormat });
  try {
    const app = await NestFactory.create(options.module(config), { logger, abortOnError: false });
    // The sandboxes answer the mesh's every call: their request lines are debug detail.
    useAppLogging(app, logger, { quietRequests: options.service.endsWith('-sandbox') });
    await options.configure?.(app, config);
    await app.listen(config.port, '0.0.0.0');
    logger.log({ msg: `${options.service} listening`, port: config.port, nodeEnv: config.nodeEnv });
    closeOnSignals(app, logger, config.shutdownTimeoutMs);
  } catch (err) {
    logger.error({ msg: `${options.service} failed to start: ${(err as Error).message}`, err });
    process.exit(1);
  }
}

function closeOnSignals(app: INestApplication, logger: AppLogger, shutdownTimeoutMs: number): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log({ msg: `${signal} received, shutting down` });
    // The worker drain is bounded by shutdownTimeoutMs; this is the backstop for everything else.
    const backstop = setTimeout(() => {
      logger.error({ msg: 'shutdown did not finish in time; exiting' });
      process.exit(1);
    }, shutdownTimeoutMs + 10_000);
    backstop.unref();
    app.close().then(
      async () => {
        logger.log({ msg: 'stopped cleanly' });
        await shutdownTracing();
        process.exit(0);
      },
      (err: Error) => {
        logger.error({ msg: `error while shutting down: ${err.message}` });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
