import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { QueueName } from '@app/contracts';
import type { ReadinessIndicator } from '../health/readiness-indicator';
import { withTimeout } from '@app/util';
import type { Worker } from 'bullmq';
import type { ContractProcessor } from './contract-processor';
import { SYNC_PROCESSOR } from './worker-lifecycle';

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

@Injectable()
export class WorkerHealthIndicator implements ReadinessIndicator {
  readonly key = 'worker';

  constructor(
    @Inject(SYNC_PROCESSOR) private readonly processor: ContractProcessor<QueueName>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number) {
    const session = this.indicators.check(this.key);
    const worker = this.processor.worker;
    const queue = this.processor.queueName;
    if (!worker) return session.down({ message: 'no worker created', queue });
    if (worker.closing) return session.down({ message: 'worker is shutting down', queue });
    if (!worker.isRunning()) return session.down({ message: 'worker is not running', queue });
    if (worker.isPaused()) return session.down({ message: 'worker is paused', queue });
    const statuses = await withTimeout(workerConnectionStatuses(worker), timeoutMs, 'worker redis status').catch(() => ['unknown']);
    if (statuses.some((status) => status !== 'ready')) return session.down({ message: `worker's Redis connection is ${statuses.join('/')}`, queue });
    return session.up({ queue, concurrency: worker.concurrency });
  }
}
