/**
 * Reading lists the way JOOR may send them. v2 is XML-born: a converted answer wraps a list in an
 * element named after its items (`orders: {order: [...]}`, `line_items: {line_item: [...]}`),
 * unwraps a list of one (`orders: {order: {...}}`, or just the object) and writes an empty list as
 * an empty element (`""`, `null`, `{}`). v4 may likewise answer `data` as one object or null.
 * Every reader of a JOOR list goes through `listOf`, so all of these forms read the same.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nothing there: absent, null, an empty or blank string, or an empty object (an empty XML element). */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/**
 * Any plausible form of a list, as an array:
 * - nothing (`undefined`, `null`, `""`, `{}`): `[]`;
 * - an array: its items, where an item that is itself a wrapper (`{order: {...}}`) gives what it wraps;
 * - a wrapper, an object holding one of `itemKeys` (`{order: [...]}`, `{line_item: {...}}`): what it
 *   wraps, read the same way (so wrappers may nest: `{orders: {order: [...]}}` with keys `orders`, `order`);
 * - anything else (one object, one value): a list of that one item.
 * The items are returned as they are: checking them is the caller's job (a bad item is reported, never dropped).
 */
export function listOf(value: unknown, ...itemKeys: string[]): unknown[] {
  if (isBlank(value)) return [];
  if (Array.isArray(value)) return value.flatMap((item) => (wrapperKey(item, itemKeys) !== null ? listOf(item, ...itemKeys) : [item]));
  const key = wrapperKey(value, itemKeys);
  if (key !== null) return listOf((value as Record<string, unknown>)[key], ...itemKeys);
  return [value];
}

function wrapperKey(value: unknown, itemKeys: readonly string[]): string | null {
  if (!isPlainObject(value)) return null;
  return itemKeys.find((key) => key in value) ?? null;
}
