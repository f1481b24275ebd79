/** Pure mappings AMC -> JOOR (catalog, inventory, customers) and JOOR -> AMC (orders). Money as decimal strings, never floats. */
export * from './catalog';
export * from './orders';
export * from './inventory';
export * from './customers';
export * from './media';
