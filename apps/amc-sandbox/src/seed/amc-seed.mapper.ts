import type { AmcSide } from '@app/sandbox-seed';
import { amcTimestamp, type AmcResource } from '../store/amc-resources';
import type { AmcRecord, StoredRecord } from '../store/amc-store.repository';

const SIZE_COLUMNS = 30;

/** AMC answers every scalar as a string (its own clients' schemas say so); numbers become strings. */
export function amcStrings(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return value.map(amcStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, amcStrings(v)]));
  return value;
}

function normalise(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : amcTimestamp(at);
}

function record(resource: AmcResource, id: string, lastModified: string, data: object): StoredRecord {
  const stamp = normalise(lastModified);
  return { resource, id, lastModified: stamp, data: { ...(amcStrings(data) as AmcRecord), last_modified_time: stamp } };
}

/** The AMC side of a generated brand as the records the API serves. Pure. */
export function brandToRecords(amc: AmcSide, now: string): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (const c of amc.currencies) out.push(record('currencies', c.id, c.last_updated || now, c));
  for (const w of amc.warehouses) out.push(record('warehouses', w.id, now, w));
  for (const d of amc.divisions) out.push(record('divisions', d.id, now, d));
  for (const range of amc.sizeRanges) {
    const columns: Record<string, string> = {};
    for (let i = 0; i < SIZE_COLUMNS; i++) columns[`size_${String(i + 1).padStart(2, '0')}`] = range.sizes[i] ?? '';
    out.push(record('size_ranges', range.id, now, { id: range.id, name: range.name, ...columns }));
  }
  for (const p of amc.products) out.push(record('products', p.product_id, p.last_modified_time, p));
  for (const a of amc.attributes) out.push(record('product_attributes', a.id, a.last_modified_time, a));
  const skuModified = new Map<string, string>();
  for (const s of amc.skus) {
    skuModified.set(s.sku_id, s.last_modified_time);
    out.push(record('inventory', s.sku_id, s.last_modified_time, s));
  }
  // AMC's sku_warehouse rows have an id of their own; numbered in seed order so they are deterministic.
  amc.skuWarehouse.forEach((row, index) => {
    const id = String(index + 1);
    out.push(record('sku_warehouse', id, skuModified.get(row.sku_id) ?? now, { id, ...row }));
  });
  for (const c of amc.customers) out.push(record('customers', c.customer_id, c.last_modified_time, c));
  return out;
}
