export * from './app-config';
export * from './config-error';
export * from './services';
export * from './app-config.module';
export * from './env-parsers';
