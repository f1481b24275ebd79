/** The helper leaf: small Node-only helpers every layer may use (no Nest, no TypeORM, nothing of ours). */
export * from './time';
export * from './net';
export * from './clock';
export * from './secret-cipher';
