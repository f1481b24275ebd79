import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type Queryable = Pick<EntityManager, 'query'>;

/** Raw SQL over the sandbox's DataSource (no entities: the schema is the sandbox's own). */
@Injectable()
export class SandboxDb {
  constructor(private readonly dataSource: DataSource) {}

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], on: Queryable = this.dataSource): Promise<T[]> {
    const result = await on.query(sql, params);
    // TypeORM answers UPDATE and DELETE with [rows, rowCount]; every caller here wants the rows.
    if (/^\s*(UPDATE|DELETE)\b/i.test(sql) && Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  }

  async one<T = Record<string, unknown>>(sql: string, params: unknown[] = [], on: Queryable = this.dataSource): Promise<T | null> {
    const rows = await this.query<T>(sql, params, on);
    return rows[0] ?? null;
  }

  tx<T>(fn: (on: Queryable) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => fn(manager));
  }
}
