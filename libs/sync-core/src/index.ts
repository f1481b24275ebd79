export * from './connection-clients';
export * from './run-recorder';
export * from './sync-core.module';
export * from './credit-meter';
