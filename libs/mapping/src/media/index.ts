export * from './media.types';
export * from './media.mapper';
