export * from './entities';
export * from './migrations';
export * from './data-source-options';
export * from './migrate';
export * from './crypto/secret-cipher';
export * from './persistence.module';
export * from './repositories/connection.repository';
export * from './repositories/sync-run.repository';
