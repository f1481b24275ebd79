import type { AmcResourceName, AmcResourceTypes } from './amc.types';

/**
 * The boundary check of every record AMC answers: required fields present and of the right
 * kind, scalars normalised (AMC sends numbers as strings). A bad record is reported with its id
 * and reasons instead of failing the page. Pure.
 */
type Kind = 'id' | 'str' | 'dec' | 'int' | 'flag' | 'time' | { list: Schema };
interface FieldSpec {
  kind: Kind;
  required?: boolean;
}
type Schema = Record<string, FieldSpec>;

const R = (kind: Kind): FieldSpec => ({ kind, required: true });
const O = (kind: Kind): FieldSpec => ({ kind });
const strings = (...names: string[]): Schema => Object.fromEntries(names.map((n) => [n, O('str')]));

const IMAGE: Schema = { img: R('str'), is_catalog_image: O('flag'), kind: O('str') };
const QUANTITIES: Schema = {
  qty_inventory: R('int'),
  qty_avail_sell: R('int'),
  qty_alloc: O('int'),
  qty_avail_alloc: O('int'),
  qty_open_sales: O('int'),
  qty_open_po: O('int'),
  qty_in_transit: O('int'),
};

export const AMC_SCHEMAS: Record<AmcResourceName, Schema> = {
  products: {
    product_id: R('id'),
    style_number: R('str'),
    ...strings('description', 'season', 'category', 'division_id', 'size_range_id', 'web_title', 'web_description', 'origin', 'content'),
    price: R('dec'),
    retail_price: O('dec'),
    joor_sync: R('flag'),
    images: O({ list: IMAGE }),
    price_groups: O({ list: { id: R('id'), currency_id: R('id'), price_group: O('str'), price: R('dec') } }),
    last_modified_time: R('time'),
  },
  product_attributes: {
    id: R('id'),
    product_id: R('id'),
    attribute_2: R('str'),
    ...strings('color_code', 'season'),
    joor_sync: R('flag'),
    images: O({ list: IMAGE }),
    last_modified_time: O('time'),
  },
  inventory: {
    sku_id: R('id'),
    product_id: R('id'),
    style_number: R('str'),
    attr_2: O('str'),
    size: R('str'),
    size_position: O('int'),
    upc_display: O('str'),
    price: O('dec'),
    retail_price: O('dec'),
    active: R('flag'),
    joor_sync: R('flag'),
    ...QUANTITIES,
    last_modified_time: O('time'),
  },
  sku_warehouse: { id: O('str'), sku_id: R('id'), warehouse_id: R('id'), ...QUANTITIES, last_modified_time: O('time') },
  size_ranges: { id: R('id'), name: R('str') },
  customers: {
    customer_id: R('id'),
    customer_name: R('str'),
    ...strings(
      'account_number',
      'address_1',
      'address_2',
      'city',
      'state',
      'postal_code',
      'country',
      'email',
      'phone',
      'terms_id',
      'division_id',
      'currency_id',
      'price_group',
      'status',
      'joor_customer_code',
      'first_name',
      'last_name',
      'category',
    ),
    locations: O({
      list: { ship_to_id: R('id'), ...strings('name', 'address_1', 'address_2', 'city', 'state', 'postal_code', 'country'), is_main_location: O('flag') },
    }),
    // Public AMC clients read these too; customer sync maps them to JOOR's sales rep and contact.
    salespeople: O({ list: strings('id', 'salesperson_id', 'name') }),
    people: O({ list: { ...strings('first_name', 'last_name', 'email', 'position'), is_main_contact: O('flag') } }),
    last_modified_time: R('time'),
  },
  orders: {
    order_id: R('id'),
    customer_id: R('id'),
    ...strings('customer_po', 'date', 'date_start', 'date_due', 'season', 'warehouse_id', 'division_id', 'currency_id', 'credit_status', 'joor_id', 'notes', 'ship_to_id', 'source'),
    order_items: O({ list: { id: O('str'), sku_id: R('id'), qty: R('int'), unit_price: O('dec'), amount: O('dec'), ...strings('style_number', 'attr_2', 'size') } }),
    last_modified_time: O('time'),
  },
  currencies: { id: R('id'), name: R('str'), is_default: O('flag'), symbol: O('str'), rate: R('dec'), last_updated: O('str') },
  warehouses: { id: R('id'), name: R('str') },
  divisions: { id: R('id'), name: R('str') },
};

/** The field that is each AMC resource's id (as public AMC clients read them). */
export const AMC_ID_FIELDS: Record<AmcResourceName, string> = {
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
};

export function amcIdField(resource: AmcResourceName): string {
  return AMC_ID_FIELDS[resource];
}

export interface InvalidAmcRecord {
  resource: AmcResourceName;
  /** The record's id when it has one. */
  id: string | null;
  problems: string[];
}

export type AmcValidation<R extends AmcResourceName> = { ok: true; record: AmcResourceTypes[R] } | { ok: false; invalid: InvalidAmcRecord };

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

function defaultFor(kind: Kind): unknown {
  if (typeof kind === 'object') return [];
  if (kind === 'str') return '';
  if (kind === 'int') return 0;
  if (kind === 'flag') return '0';
  return null;
}

function normaliseValue(kind: Kind, value: unknown, path: string, problems: string[]): unknown {
  if (typeof kind === 'object') {
    if (!Array.isArray(value)) {
      problems.push(`${path} must be a list`);
      return [];
    }
    return value.map((item, i) => normaliseObject(kind.list, item, `${path}[${i}]`, problems));
  }
  const scalar = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  switch (kind) {
    case 'id':
      // Ids are opaque text; one sent as a number is AMC's integer id, so 1e+308, 2.5 or -3 is no id.
      if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) {
        problems.push(`${path} must be a whole-number id, got ${JSON.stringify(value)}`);
        return null;
      }
      if (typeof scalar === 'string' && scalar.trim() !== '') return scalar.trim();
      problems.push(`${path} must be a non-empty id`);
      return null;
    case 'str':
      if (typeof scalar === 'string') return scalar;
      problems.push(`${path} must be text`);
      return '';
    case 'dec':
      if (typeof scalar === 'string' && DECIMAL.test(scalar.trim())) return scalar.trim();
      problems.push(`${path} must be a decimal number, got ${JSON.stringify(value)}`);
      return null;
    case 'int':
      if (typeof scalar === 'string' && INTEGER.test(scalar.trim())) return Number(scalar);
      // AMC sometimes answers quantities as "12.0000".
      if (typeof scalar === 'string' && /^-?\d+\.0+$/.test(scalar.trim())) return Number(scalar);
      problems.push(`${path} must be a whole number, got ${JSON.stringify(value)}`);
      return 0;
    case 'flag':
      if (scalar === '1' || scalar === true) return '1';
      if (scalar === '0' || scalar === false || scalar === '') return '0';
      problems.push(`${path} must be 0 or 1`);
      return '0';
    case 'time': {
      const at = typeof scalar === 'string' ? parseAmcTimestamp(scalar) : null;
      if (at) return at;
      problems.push(`${path} must be a date-time, got ${JSON.stringify(value)}`);
      return null;
    }
  }
}

function normaliseObject(schema: Schema, raw: unknown, path: string, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${path || 'record'} must be an object`);
    return out;
  }
  const source = raw as Record<string, unknown>;
  for (const [field, spec] of Object.entries(schema)) {
    const value = source[field];
    const name = path ? `${path}.${field}` : field;
    // A blank optional number (an MSRP AMC has none of) reads as absent, not as a bad record.
    const blank = value === '' && !spec.required && (spec.kind === 'dec' || spec.kind === 'int' || spec.kind === 'time' || spec.kind === 'id');
    if (value === undefined || value === null || blank) {
      if (spec.required) problems.push(`${name} is missing`);
      out[field] = defaultFor(spec.kind);
      continue;
    }
    out[field] = normaliseValue(spec.kind, value, name, problems);
  }
  return out;
}

/** `2022-12-01T14:32:16Z` (or `2022-12-01 14:32:16`, taken as UTC) -> `2022-12-01T14:32:16Z`. */
export function parseAmcTimestamp(value: string): string | null {
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? trimmed.replace(' ', 'T') : `${trimmed.replace(' ', 'T')}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? null : at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function validateAmcRecord<R extends AmcResourceName>(resource: R, raw: unknown): AmcValidation<R> {
  const problems: string[] = [];
  const record = normaliseObject(AMC_SCHEMAS[resource], raw, '', problems);
  if (resource === 'size_ranges' && problems.length === 0) {
    const source = raw as Record<string, unknown>;
    const sizes: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const value = source[`size_${String(i).padStart(2, '0')}`];
      if (typeof value === 'string' && value.trim() !== '') sizes.push(value);
    }
    record.sizes = sizes;
  }
  if (problems.length > 0) {
    const rawId = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[AMC_ID_FIELDS[resource]] : undefined;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
    return { ok: false, invalid: { resource, id, problems } };
  }
  return { ok: true, record: record as unknown as AmcResourceTypes[R] };
}

/** Splits a page into the good records and the reports of the bad ones. */
export function validateAmcRecords<R extends AmcResourceName>(resource: R, raws: unknown[]): { records: Array<AmcResourceTypes[R]>; invalid: InvalidAmcRecord[] } {
  const records: Array<AmcResourceTypes[R]> = [];
  const invalid: InvalidAmcRecord[] = [];
  for (const raw of raws) {
    const result = validateAmcRecord(resource, raw);
    if (result.ok) records.push(result.record);
    else invalid.push(result.invalid);
  }
  return { records, invalid };
}
