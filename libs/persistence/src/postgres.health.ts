import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { withTimeout } from '@app/util';

/** Readiness: PostgreSQL answers (a `SELECT 1` within the check's timeout). A readiness indicator of @app/common's observability. */
@Injectable()
export class PostgresHealthIndicator {
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
