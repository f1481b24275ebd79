export * from './connection-clients';
export * from './sync-core.module';
export * from './credit-meter';
export * from './sync-service.module';
