export * from './customer.types';
export * from './customer.mapper';
