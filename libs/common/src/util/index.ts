export * from './time';
export * from './public.decorator';
export * from './reachable';
