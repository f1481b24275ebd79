export * from './credit-budget';
export * from './budget-options';
export * from './redis-credit-budget';
export * from './rate-limit-headers';
