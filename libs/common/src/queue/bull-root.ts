import { BullModule } from '@nestjs/bullmq';
import type { DynamicModule } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS } from '@app/contracts';
import { bullmqTelemetry } from '@app/tracing';
import type { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from './redis-connection';

/** BullMQ's shared connection, key prefix and default job options, the same in every service. */
export function bullRootModule(config: AppConfig): DynamicModule {
  return BullModule.forRoot({
    connection: redisOptionsFromUrl(config.redisUrl, { connectionName: config.service }),
    prefix: config.queuePrefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
    // Producer and consumer spans, the trace carried in the job (undefined: tracing off).
    telemetry: bullmqTelemetry(),
  });
}
