/**
 * The resources the sandbox serves under `/api/json/<resource>`, each with the field that is its id.
 * Stated here, apart from the AMC client's own table: the sandbox stands in for AMC and must not
 * borrow the client's guesses, or a wrong guess would pass both.
 */
export const AMC_RESOURCES = {
  products: 'product_id',
  product_attributes: 'id',
  inventory: 'sku_id',
  sku_warehouse: 'id',
  size_ranges: 'id',
  customers: 'customer_id',
  orders: 'order_id',
  currencies: 'id',
  warehouses: 'id',
  divisions: 'id',
} as const;

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
