import type { INestApplication } from '@nestjs/common';
import type { AppLogger } from './app-logger';
import { outages } from './outage-log';
import { requestLogging } from './request-log';

/** The app logs through `logger`: Nest's own lines, one line per HTTP request (with its id), and this process's outages. */
export function useAppLogging(app: INestApplication, logger: AppLogger, options: { quietRequests?: boolean } = {}): void {
  app.useLogger(logger);
  app.use(requestLogging(logger.pino, { quiet: options.quietRequests }));
  outages.useLogger(logger.pino);
}
