import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { QueueName } from '@app/contracts';
import type { ReadinessIndicator } from '../health/readiness-indicator';
import type { ContractProcessor } from './contract-processor';
import { SYNC_PROCESSOR } from './worker-lifecycle';

@Injectable()
export class WorkerHealthIndicator implements ReadinessIndicator {
  readonly key = 'worker';

  constructor(
    @Inject(SYNC_PROCESSOR) private readonly processor: ContractProcessor<QueueName>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check() {
    const session = this.indicators.check(this.key);
    const worker = this.processor.worker;
    const queue = this.processor.queueName;
    if (!worker) return session.down({ message: 'no worker created', queue });
    if (worker.closing) return session.down({ message: 'worker is shutting down', queue });
    if (!worker.isRunning()) return session.down({ message: 'worker is not running', queue });
    if (worker.isPaused()) return session.down({ message: 'worker is paused', queue });
    return session.up({ queue, concurrency: worker.concurrency });
  }
}
