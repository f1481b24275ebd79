export * from './amc.types';
export * from './amc.client';
export * from './amc-api.error';
export * from './amc-backoff';
export * from './amc-query';
export * from './amc-rate-limiter';
export * from './amc-records.validator';
