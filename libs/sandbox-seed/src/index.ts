export * from './brand.model';
export { generateBrand, resolveSeedOptions, DEFAULT_SEED_NOW, MAX_SEED_STYLES } from './brand.generator';
export { parseSeedArgs } from './seed-args';
export { isValidUpcA, makeUpcA, upcCheckDigit } from './upc';
export { Rng, hashString } from './prng';
