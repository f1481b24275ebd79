import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '@app/common';
import { SyncCursorRepository } from '@app/persistence';
import { INVENTORY_CURSOR_STREAM } from './inventory-sync.service';

/**
 * amcjoor_inventory_cursor_age_seconds: per active connection, seconds since the inventory delta
 * cursor (the start of the last full or delta run that completed), or since the connection was
 * created when no run has completed. A stock change made in AMC before the cursor is on JOOR (or
 * due, when JOOR refused it); one made after waits for the next run. So this is how old the newest
 * change JOOR may still lack can be: the inventory latency an operator can alert on, read from
 * sync_cursor at scrape time (right across restarts and replicas).
 */
@Injectable()
export class InventoryCursorMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly cursors: SyncCursorRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.sync.provide('inventoryCursorAge', async () => (await this.cursors.agesSeconds(INVENTORY_CURSOR_STREAM)).map(({ connectionId, seconds }) => ({ connectionId, value: seconds })));
  }
}
