export * from './joor-order.mapper';
