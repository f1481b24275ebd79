export * from './joor.client';
export * from './joor-api.types';
export * from './joor-api.schemas';
export * from './joor-errors';
export * from './bulk-result';
export * from './list-of';
export * from './retry-policy';
export { JoorTokenProvider, expiryMarginMs, type JoorV4Credentials, type TokenCipher } from './joor-token.provider';
export type { JoorCallEvent } from './joor-http';
