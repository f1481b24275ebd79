import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { withTimeout } from '@app/util';

/** A sandbox's readiness: its own PostgreSQL schema answers (the sandboxes keep their SQL to themselves). */
@Injectable()
export class SandboxPostgresHealthIndicator {
  readonly key = 'postgres';

  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number) {
    const session = this.indicators.check(this.key);
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), timeoutMs, 'postgres');
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message || 'unreachable' });
    }
  }
}
