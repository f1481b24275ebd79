export * from './credit-budget';
