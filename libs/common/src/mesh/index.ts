export * from './outage-log';
export * from './mesh-redis.transport';
export * from './mesh-events.service';
export * from './mesh-events.module';
