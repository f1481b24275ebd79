export * from './metrics.service';
export * from './metrics.controller';
export * from './sync-metrics';
export * from './metrics.module';
