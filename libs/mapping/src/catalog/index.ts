export * from './catalog.types';
export * from './catalog-money';
export * from './payload-hash';
export * from './price-types';
export * from './sku-traits';
export * from './catalog.mapper';
export * from './collection.mapper';
