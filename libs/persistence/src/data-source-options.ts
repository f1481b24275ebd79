import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * The one place where PostgreSQL is configured. `synchronize` is never on: the schema is
 * owned by the migrations. A connect timeout keeps health checks and requests from hanging
 * when the database is unreachable.
 */
export function buildDataSourceOptions(databaseUrl: string, overrides: Partial<{ applicationName: string; poolSize: number }> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    applicationName: overrides.applicationName ?? 'amc-joor',
    poolSize: overrides.poolSize ?? 10,
    extra: { connectionTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 },
  };
}
