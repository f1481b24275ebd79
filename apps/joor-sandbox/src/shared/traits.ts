import type { JoorSandboxIdStyle } from '../joor-sandbox.config';

/** Internal ids of the two traits every SKU carries (what the store keeps, whatever the dialect). */
export const COLOR_TRAIT_ID = 1001;
export const SIZE_TRAIT_ID = 1002;

/** `GET /v4/traits` in the numeric dialect (our first guess). */
export const TRAITS = [
  { id: COLOR_TRAIT_ID, name: 'Color' },
  { id: SIZE_TRAIT_ID, name: 'Size' },
] as const;

/**
 * `GET /v4/traits` in the given dialect. Opaque: JOOR's own trait ids (the edge encodes 1001/1002
 * as base64 of `SKUTrait:StyleColor` / `SKUTrait:Size`) and the color trait named as its id says,
 * "Style Color", so a client must find it by id or by more than one name.
 */
export function traitsFor(idStyle: JoorSandboxIdStyle): ReadonlyArray<{ id: number; name: string }> {
  return idStyle === 'opaque'
    ? [
        { id: COLOR_TRAIT_ID, name: 'Style Color' },
        { id: SIZE_TRAIT_ID, name: 'Size' },
      ]
    : TRAITS;
}
