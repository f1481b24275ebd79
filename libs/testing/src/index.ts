export * from './test-services';
export * from './test-database';
export * from './test-config';
export * from './tcp-proxy';
export * from './wait';
export * from './service-process';
export * from './sandbox-kit-client';
export * from './manual-clock';
