export * from './time';
export * from './public.decorator';
