/** Pure mappings AMC -> JOOR (catalog) and JOOR -> AMC (orders). Money as decimal strings, never floats. */
export * from './catalog';
export * from './orders';
