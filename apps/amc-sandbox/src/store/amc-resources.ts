import { AMC_ID_FIELDS } from '@app/amc-client';

/** The resources the sandbox serves under `/api/json/<resource>`, each with the field that is its id (AMC's, as the client knows it). */
export const AMC_RESOURCES = AMC_ID_FIELDS;

export type AmcResource = keyof typeof AMC_RESOURCES;

export function isAmcResource(value: string): value is AmcResource {
  return Object.prototype.hasOwnProperty.call(AMC_RESOURCES, value);
}

/**
 * Paging and id filters order records by id. AMC ids are numeric strings, so they sort as
 * numbers; padding them makes text order equal numeric order (and keeps any non-numeric id usable).
 */
export function sortKey(id: string): string {
  return /^\d{1,20}$/.test(id) ? id.padStart(20, '0') : id;
}

/** AMC's timestamp format: ISO 8601 UTC to the second, `2022-12-01T14:32:16Z`. */
export function amcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
