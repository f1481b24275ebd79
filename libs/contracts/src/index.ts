export * from './queues';
export * from './jobs';
export * from './canary.job';
export * from './job-options';
export * from './job-ids';
export * from './connection-settings';
export * from './sync-runs';
export * from './sync-jobs';
