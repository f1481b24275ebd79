import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { WORKER_CONCURRENCY } from '@app/contracts';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { isUnreachable, outages } from '../logging/outage-log';
import { MetricsService } from '../metrics/metrics.service';
import { CanaryWorker } from './canary-worker';
import { SYNC_PROCESSOR, type SyncProcessorRef } from './sync-processor.token';

/**
 * Starts the workers (the sync queue's and the canary queue's) only once the whole app is up
 * (workers are created with autorun off), and on shutdown stops taking jobs and lets the running
 * ones finish, for at most SHUTDOWN_TIMEOUT_MS; past that, it closes a worker by force and its
 * jobs are retried.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerLifecycle.name);

  constructor(
    @Inject(SYNC_PROCESSOR) ref: SyncProcessorRef,
    private readonly canary: CanaryWorker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.processor = ref.processor;
  }

  private readonly processor: SyncProcessorRef['processor'];

  get worker(): Worker {
    return this.processor.worker;
  }

  onApplicationBootstrap(): void {
    const queue = this.processor.queueName;
    this.worker.concurrency = this.config.workerConcurrency ?? WORKER_CONCURRENCY[queue];
    applyLockTimings(this.worker, this.config.workerLockMs);
    this.start(this.worker, queue);
    this.start(this.canary.create(), this.canary.queueName);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const canary = this.canary.worker;
    await Promise.all([this.drain(this.worker, this.processor.queueName), ...(canary ? [this.drain(canary, this.canary.queueName)] : [])]);
  }

  private start(worker: Worker, queue: string): void {
    worker.on('completed', (job: Job) => this.observe(queue, job, 'completed'));
    worker.on('failed', (job: Job | undefined, err: Error) => {
      if (job) this.observe(queue, job, 'failed');
      this.logger.warn({ msg: `job failed: ${err.message}`, queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade });
    });
    // Redis going away fails every connection at every reconnect: one outage, logged once (a bug still logs).
    worker.on('error', (err: Error) => (isUnreachable(err) ? outages.failed('Redis', err) : this.logger.error({ msg: `worker error: ${err.message}`, queue })));
    worker.on('active', () => outages.recovered('Redis'));
    worker.run().catch((err: Error) => this.logger.error({ msg: `worker stopped: ${err.message}`, queue }));
    this.logger.log({ msg: 'worker started', queue, concurrency: worker.concurrency });
  }

  private async drain(worker: Worker, queue: string): Promise<void> {
    const timeoutMs = this.config.shutdownTimeoutMs;
    this.logger.log({ msg: 'draining worker', queue, timeoutMs });
    // pause() stops fetching and resolves once the active jobs are done; close(true) must come
    // before any graceful close(), which BullMQ would otherwise keep waiting on.
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([worker.pause(false).then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
    clearTimeout(timer);
    if (!drained) {
      this.logger.warn({ msg: 'drain timed out; closing the worker by force (its active jobs will be retried once their lock expires)', queue });
    }
    await worker.close(!drained);
  }

  private observe(queue: string, job: Job, outcome: 'completed' | 'failed'): void {
    if (job.processedOn && job.finishedOn) this.metrics.observeJob(queue, job.name, outcome, (job.finishedOn - job.processedOn) / 1000);
  }
}

/**
 * How long a job stays locked to a process that died (kill -9, OOM) and how often stalled jobs are
 * given back: the lock, its renewal at half of it, and the stalled check. The worker is built by
 * @nestjs/bullmq before the config is read, and its lock manager copies the timings then, so it is
 * built again here, before run() starts it.
 */
export function applyLockTimings(worker: Worker, lockMs: number): void {
  Object.assign(worker.opts, { lockDuration: lockMs, lockRenewTime: lockMs / 2, stalledInterval: lockMs });
  (worker as unknown as { createLockManager(): void }).createLockManager();
}
