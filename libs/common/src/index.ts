export * from './config';
export * from './logging';
export * from './util';
export * from './health';
export * from './metrics';
export * from './queue';
export * from './bootstrap';
export * from './mesh';
