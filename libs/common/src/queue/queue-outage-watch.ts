import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { CANARY_QUEUE_NAMES, SYNC_QUEUE_NAMES } from '@app/contracts';
import { isUnreachable, outages } from '../logging/outage-log';

/**
 * Every queue the app registered reports its connection errors as the process's Redis outage
 * (logged once; the health checks' client says when it is over). Without a listener BullMQ prints each
 * error, stack and all, to stderr at every reconnect attempt: hundreds of lines for a short restart.
 */
@Injectable()
export class QueueOutageWatch implements OnApplicationBootstrap {
  private readonly logger = new Logger(QueueOutageWatch.name);

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    for (const name of [...SYNC_QUEUE_NAMES, ...CANARY_QUEUE_NAMES]) {
      let queue: Queue;
      try {
        queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      } catch {
        continue; // not registered in this app
      }
      queue.on('error', (err: Error) => (isUnreachable(err) ? outages.failed('Redis', err) : this.logger.error({ msg: `queue error: ${err.message}`, queue: name })));
    }
  }
}
