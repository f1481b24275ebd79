export * from './readiness-indicator';
export * from './health-redis.client';
export * from './redis.health';
export * from './health.controller';
export * from './observability';
