import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '@app/common';
import { ORDERS_POLL, type RunStatus } from '@app/contracts';
import { SyncRunRepository } from '@app/persistence';

/** A poll that read the feed to its end: `partial` left some orders for the next poll, but it polled. */
export const POLLED_STATUSES: RunStatus[] = ['succeeded', 'partial'];

/**
 * amcjoor_order_poll_lag_seconds: per active connection, seconds since its last `orders.poll` run
 * finished `succeeded` or `partial` (since the connection was created when none has), read from
 * sync_run at scrape time, so it keeps growing while polls fail, hang or are not scheduled at all,
 * across restarts and replicas. Paused connections are left out (they do not poll on purpose).
 */
@Injectable()
export class OrderPollLagMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly runs: SyncRunRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.sync.provide('orderPollLag', async () =>
      (await this.runs.secondsSinceLastFinished(ORDERS_POLL.kind, POLLED_STATUSES)).map(({ connectionId, seconds }) => ({ connectionId, value: seconds })),
    );
  }
}
