export * from './inventory.mapper';
