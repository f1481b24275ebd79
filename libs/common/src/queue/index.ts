export * from './redis-connection';
export * from './bull-root';
export * from './contract-processor';
export * from './canary.handler';
export * from './worker-lifecycle';
export * from './worker.health';
export * from './job-producer';
