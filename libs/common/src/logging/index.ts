export * from './app-logger';
export * from './log-context';
export * from './redact';
export * from './request-log';
export * from './outage-log';
export * from './use-app-logging';
