export * from './brand.model';
