export * from './catalog-money';
export * from './payload-hash';
export * from './catalog.mapper';
export * from './collection.mapper';
