import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { CANARY_JOB, CANARY_QUEUES, CANARY_WORKER_CONCURRENCY, type CanaryPayload, type CanaryQueueName, type CanaryResult } from '@app/contracts';
import { bullmqTelemetry } from '@app/tracing';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { handleCanary } from './canary.handler';
import { redisOptionsFromUrl } from './redis-connection';
import { SYNC_PROCESSOR, type SyncProcessorRef } from './sync-processor.token';

/**
 * The worker of a sync service's canary queue (`CANARY_QUEUES`): it answers the mesh probe's
 * canaries in a slot of its own, so a service whose sync worker is busy with long jobs still
 * answers. Created when `WorkerLifecycle` starts the workers (after boot), drained and closed with
 * the sync worker.
 */
@Injectable()
export class CanaryWorker implements OnApplicationShutdown {
  readonly queueName: CanaryQueueName;
  private current: Worker<CanaryPayload, CanaryResult> | null = null;

  constructor(
    @Inject(SYNC_PROCESSOR) { processor }: SyncProcessorRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.queueName = CANARY_QUEUES[processor.queueName];
  }

  /** Null until the workers start. */
  get worker(): Worker<CanaryPayload, CanaryResult> | null {
    return this.current;
  }

  create(): Worker<CanaryPayload, CanaryResult> {
    if (this.current) return this.current;
    this.current = new Worker<CanaryPayload, CanaryResult>(
      this.queueName,
      async (job) => {
        if (job.name !== CANARY_JOB) throw new Error(`${this.queueName} takes ${CANARY_JOB} only (got ${job.name})`);
        return handleCanary(job, { hold: false });
      },
      {
        connection: redisOptionsFromUrl(this.config.redisUrl, { connectionName: this.config.service }),
        prefix: this.config.queuePrefix,
        autorun: false,
        concurrency: CANARY_WORKER_CONCURRENCY,
        telemetry: bullmqTelemetry(),
      },
    );
    return this.current;
  }

  /** Runs after WorkerLifecycle's drain; only an app closed without it (a failed start) still has a worker open here. */
  async onApplicationShutdown(): Promise<void> {
    if (this.current && !this.current.closing) await this.current.close(true).catch(() => undefined);
  }
}
