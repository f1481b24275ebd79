import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService, type BudgetReading } from '@app/common';
import { ConnectionRepository } from '@app/persistence';
import { ConnectionClients } from './connection-clients';

/**
 * The JOOR credit budget on `/metrics` (amcjoor_joor_budget_used_credits / _cap_credits): read at
 * scrape time from the shared budget in Redis, one reading per connection (a JOOR account two
 * connections share shows the same reading under both). Every process reports the same shared
 * state; dashboards and alerts take `max by (connection_id)`.
 */
@Injectable()
export class BudgetMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly connections: ConnectionRepository,
    private readonly clients: ConnectionClients,
  ) {}

  onModuleInit(): void {
    this.metrics.sync.provide('budget', () => this.read());
  }

  async read(): Promise<BudgetReading[]> {
    const accounts = await this.connections.joorAccounts();
    const snapshots = new Map<string, Promise<{ used: number; cap: number }>>();
    for (const { joorAccountId } of accounts) if (!snapshots.has(joorAccountId)) snapshots.set(joorAccountId, this.clients.budget.snapshot(joorAccountId));
    return Promise.all(accounts.map(async ({ connectionId, joorAccountId }) => ({ connectionId, ...pick(await snapshots.get(joorAccountId)!) })));
  }
}

const pick = ({ used, cap }: { used: number; cap: number }) => ({ used, cap });
