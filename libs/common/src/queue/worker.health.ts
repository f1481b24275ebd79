import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessIndicator } from '../health/readiness-indicator';
import { withTimeout } from '@app/util';
import type { Worker } from 'bullmq';
import { CanaryWorker } from './canary-worker';
import { SYNC_PROCESSOR, type SyncProcessorRef } from './sync-processor.token';

interface RedisStatusCarrier {
  client: Promise<{ status: string }>;
}

/**
 * The statuses of the worker's own Redis connections (command and blocking). BullMQ keeps them on
 * its Redis backend, which it does not type publicly; a missing one simply is not reported.
 */
async function workerConnectionStatuses(worker: Worker): Promise<string[]> {
  const backend = (worker as unknown as { backend?: { connection?: RedisStatusCarrier; blockingConnection?: RedisStatusCarrier } }).backend;
  const connections = [backend?.connection, backend?.blockingConnection].filter((c): c is RedisStatusCarrier => !!c);
  return Promise.all(connections.map(async (c) => (await c.client).status));
}

/** Why a worker cannot take jobs, or null when it can. */
async function workerProblem(worker: Worker | null | undefined, timeoutMs: number): Promise<string | null> {
  if (!worker) return 'no worker created';
  if (worker.closing) return 'worker is shutting down';
  if (!worker.isRunning()) return 'worker is not running';
  if (worker.isPaused()) return 'worker is paused';
  const statuses = await withTimeout(workerConnectionStatuses(worker), timeoutMs, 'worker redis status').catch(() => ['unknown']);
  if (statuses.some((status) => status !== 'ready')) return `worker's Redis connection is ${statuses.join('/')}`;
  return null;
}

/** The sync queue's worker and the canary queue's worker: both running, unpaused, connected. */
@Injectable()
export class WorkerHealthIndicator implements ReadinessIndicator {
  readonly key = 'worker';

  constructor(
    @Inject(SYNC_PROCESSOR) ref: SyncProcessorRef,
    private readonly canary: CanaryWorker,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.processor = ref.processor;
  }

  private readonly processor: SyncProcessorRef['processor'];

  async check(timeoutMs: number) {
    const session = this.indicators.check(this.key);
    const queue = this.processor.queueName;
    const canaryQueue = this.canary.queueName;
    const [problem, canaryProblem] = await Promise.all([workerProblem(this.processor.worker, timeoutMs), workerProblem(this.canary.worker, timeoutMs)]);
    if (problem) return session.down({ message: problem, queue });
    if (canaryProblem) return session.down({ message: `canary ${canaryProblem}`, queue: canaryQueue });
    return session.up({ queue, concurrency: this.processor.worker.concurrency, canaryQueue });
  }
}
