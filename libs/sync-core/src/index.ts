export * from './connection-clients';
export * from './sync-core.module';
export * from './credit-meter';
export * from './sync-service.module';
export * from './sync-runner';
export * from './run-errors';
export * from './follow-ups';
export * from './run-cancellation';
