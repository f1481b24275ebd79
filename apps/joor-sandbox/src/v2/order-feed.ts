import { JoorHttpError } from '../shared/joor-envelope';

/** v2 `order_type`: 2 Approved and Shipped (default), 6 Approved, 7 Shipped, 8 all. */
export const ORDER_TYPE_STATUSES: Record<string, string[] | null> = {
  '2': ['Approved', 'Shipped'],
  '6': ['Approved'],
  '7': ['Shipped'],
  '8': null,
};

const NOT_EXPORTED = `(o.export_status IS NULL OR o.export_status NOT IN ('Success'))`;
const NEVER_EXPORTED = `(o.export_status IS NULL OR o.export_status = 'Pending')`;
const MODIFIED = `(o.export_status = 'Success' AND o.date_modified > o.exported_on)`;

/**
 * v2 `export_status` filters as SQL over orders `o`: 1 all, 2 not yet exported (failed included),
 * 3 exported, 4 modified since the last export, 5 = 2 or 4, 6 = 2 without failed, 7 = 5 without failed.
 */
export const EXPORT_STATUS_FILTERS: Record<string, string | null> = {
  '1': null,
  '2': NOT_EXPORTED,
  '3': `(o.export_status = 'Success')`,
  '4': MODIFIED,
  '5': `(${NOT_EXPORTED} OR ${MODIFIED})`,
  '6': NEVER_EXPORTED,
  '7': `(${NEVER_EXPORTED} OR ${MODIFIED})`,
};

export interface OrderFeedQuery {
  statuses: string[] | null;
  exportFilter: string | null;
  sync: boolean;
  dateStart: Date | null;
  dateEnd: Date | null;
  startFrom: number;
  count: number;
  customerCode: string | null;
  orderId: string | null;
}

export const MAX_ORDER_COUNT = 500;

function bound(raw: unknown, name: string, endOfDay: boolean): Date | null {
  if (raw === undefined || raw === '') return null;
  const text = String(raw);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const value = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(value.getTime())) throw new JoorHttpError(400, 'INVALID_REQUEST', `${name} must be an ISO-8601 date or date-time`);
  // A bare end date includes the whole day.
  if (dateOnly && endOfDay) {
    value.setUTCDate(value.getUTCDate() + 1);
    value.setUTCMilliseconds(-1);
  }
  return value;
}

function whole(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new JoorHttpError(400, 'INVALID_REQUEST', `${name} must be a whole number between ${min} and ${max}`);
  return value;
}

/** Reads `GET /v2/order/`'s query string; refuses unknown codes. */
export function parseOrderFeedQuery(query: Record<string, unknown>): OrderFeedQuery {
  const orderType = String(query.order_type ?? '2');
  if (!(orderType in ORDER_TYPE_STATUSES)) throw new JoorHttpError(400, 'INVALID_REQUEST', 'order_type must be 2, 6, 7 or 8');
  const exportStatus = String(query.export_status ?? '1');
  if (!(exportStatus in EXPORT_STATUS_FILTERS)) throw new JoorHttpError(400, 'INVALID_REQUEST', 'export_status must be 1 to 7');
  const sync = String(query.sync ?? '1');
  if (sync !== '0' && sync !== '1') throw new JoorHttpError(400, 'INVALID_REQUEST', 'sync must be 0 or 1');
  return {
    statuses: ORDER_TYPE_STATUSES[orderType],
    exportFilter: EXPORT_STATUS_FILTERS[exportStatus],
    sync: sync === '1',
    dateStart: bound(query.date_start, 'date_start', false),
    dateEnd: bound(query.date_end, 'date_end', true),
    startFrom: whole(query.start_from, 'start_from', 0, 0, Number.MAX_SAFE_INTEGER),
    count: whole(query.count, 'count', 50, 1, MAX_ORDER_COUNT),
    customerCode: typeof query.customer_code === 'string' && query.customer_code !== '' ? query.customer_code : null,
    orderId: typeof query.order_id === 'string' && query.order_id !== '' ? query.order_id : null,
  };
}
