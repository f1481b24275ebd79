import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

// A full bulk call (100 products with descriptions, 5,000 inventory rows) is well over Express's 100 kB default.
const BODY_LIMIT = '20mb';

/** App-level setup shared by main.ts and the e2e tests. */
export function configureJoorSandbox(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
}
