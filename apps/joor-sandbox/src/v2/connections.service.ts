import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JoorConnection } from '@app/sandbox-seed';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { SandboxDb } from '../store/sandbox-db';
import { checkItem, JoorHttpError, type FieldRule } from '../shared/joor-envelope';

type Row = Record<string, any>;

const CONNECTION_RULES: FieldRule[] = [
  { field: 'customer_code', kind: 'string', required: true, max: 50 },
  { field: 'customer_name', kind: 'string', required: true, max: 100 },
  { field: 'customer_alias', kind: 'string', max: 100 },
  { field: 'customer_contact_name', kind: 'string', max: 100 },
  { field: 'customer_contact_email', kind: 'string', max: 254 },
  { field: 'customer_buyer_name', kind: 'string', max: 100 },
  { field: 'customer_group_name', kind: 'string', max: 100 },
  { field: 'customer_group_code', kind: 'string', max: 50 },
  { field: 'sales_rep_code', kind: 'string', max: 50 },
];
// A bulk-connection job takes at most this many customers (JOOR quotes turnaround for 100 and 1,000+).
export const MAX_CONNECTIONS = 1000;

/** Address fields of `billing_address` and of each ship-to address, and their longest values (our choice; JOOR documents none). */
const ADDRESS_RULES: FieldRule[] = [
  { field: 'code', kind: 'string', max: 50 },
  { field: 'name', kind: 'string', max: 100 },
  { field: 'address_1', kind: 'string', max: 100 },
  { field: 'address_2', kind: 'string', max: 100 },
  { field: 'city', kind: 'string', max: 50 },
  { field: 'state', kind: 'string', max: 50 },
  { field: 'postal_code', kind: 'string', max: 20 },
  { field: 'country', kind: 'string', max: 50 },
];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Ship-to addresses per customer (our choice). */
const MAX_SHIPPING_ADDRESSES = 50;

/**
 * One customer checked as JOOR would (the first problem, as its log would say it), with its ship-to
 * addresses read in either form (`shipping_addresses: [...]` or XML-born `{shipping_address: [...]}`,
 * one possibly unwrapped) and stored as a plain list.
 */
function checkConnection(item: Row): { problem: string } | { record: Row } {
  const problem = checkItem(item, CONNECTION_RULES);
  if (problem) return { problem: problem.message };
  if (typeof item.customer_contact_email === 'string' && item.customer_contact_email !== '' && !EMAIL.test(item.customer_contact_email)) {
    return { problem: `customer_contact_email "${item.customer_contact_email}" is not an email address` };
  }
  const record: Row = { ...item };
  if (item.billing_address !== undefined && item.billing_address !== null) {
    const bad = checkItem(item.billing_address, ADDRESS_RULES);
    if (bad) return { problem: `billing_address: ${bad.message}` };
  }
  if (item.shipping_addresses !== undefined && item.shipping_addresses !== null && item.shipping_addresses !== '') {
    const raw = item.shipping_addresses;
    const inner = !Array.isArray(raw) && typeof raw === 'object' && 'shipping_address' in raw ? raw.shipping_address : raw;
    const list = (Array.isArray(inner) ? inner : [inner]) as Row[];
    if (list.length > MAX_SHIPPING_ADDRESSES) return { problem: `shipping_addresses holds ${list.length} addresses; at most ${MAX_SHIPPING_ADDRESSES}` };
    for (const [i, address] of list.entries()) {
      const bad = checkItem(address, ADDRESS_RULES);
      if (bad) return { problem: `shipping_addresses[${i}]: ${bad.message}` };
    }
    record.shipping_addresses = list;
  }
  return { record };
}

export interface ConnectionLogEntry {
  customer_code: string | null;
  status: 'Pending' | 'Updated' | 'Error';
  message: string;
}

export function connectionRecord(row: Row) {
  return { ...row.data, customer_code: row.customer_code, customer_name: row.customer_name, connection_status: row.status === 'connected' ? 'Connected' : 'Pending' };
}

@Injectable()
export class ConnectionsService {
  constructor(
    private readonly db: SandboxDb,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  /**
   * `POST /v2/bulk-connection`: a matching customer_code updates; a new customer waits for JOOR's data
   * team. The job is done by the time the answer leaves; with `JOOR_SANDBOX_CONNECTION_LOG=job` the
   * answer withholds its log (`{job_status, job_id}`), as an asynchronous job's first answer would.
   */
  async bulk(body: unknown): Promise<{ job_status: string; job_id?: string; connection_log?: ConnectionLogEntry[] }> {
    const container = (body as Row | null)?.bulk_connections?.connection;
    if (container === undefined) throw new JoorHttpError(400, 'INVALID_REQUEST', 'The body must be {"bulk_connections": {"connection": [...]}}');
    const items = (Array.isArray(container) ? container : [container]) as Row[];
    if (items.length === 0 || items.length > MAX_CONNECTIONS) throw new JoorHttpError(400, 'INVALID_REQUEST', `connection must hold 1 to ${MAX_CONNECTIONS} customers`);
    // A customer whose match time has come answers Updated, as a lookup would find it.
    await this.promoteDue();
    const log: ConnectionLogEntry[] = [];
    await this.db.tx(async (on) => {
      for (const item of items) {
        const checked = checkConnection(item);
        if ('problem' in checked) {
          log.push({ customer_code: typeof item?.customer_code === 'string' ? item.customer_code : null, status: 'Error', message: checked.problem });
          continue;
        }
        const row = await this.db.one<Row>(
          `INSERT INTO joor_sandbox.connections (customer_code, customer_name, data, status) VALUES ($1, $2, $3::jsonb, 'pending')
           ON CONFLICT (customer_code) DO UPDATE SET customer_name = EXCLUDED.customer_name, data = joor_sandbox.connections.data || EXCLUDED.data, updated_at = now()
           RETURNING status, (xmax = 0) AS inserted`,
          [item.customer_code, item.customer_name, JSON.stringify(checked.record)],
          on,
        );
        if (row!.status === 'connected') log.push({ customer_code: item.customer_code, status: 'Updated', message: 'Customer updated' });
        else
          log.push({
            customer_code: item.customer_code,
            status: 'Pending',
            message: row!.inserted ? 'New customer: pending review by JOOR' : 'Pending customer updated; still pending review by JOOR',
          });
      }
    });
    if (this.config.connectionLog === 'job') return { job_status: 'queued', job_id: randomUUID() };
    return { job_status: 'queued', connection_log: log };
  }

  async byCode(code: string): Promise<Row | null> {
    await this.promoteDue();
    const row = await this.db.one<Row>(`SELECT * FROM joor_sandbox.connections WHERE customer_code = $1 AND status = 'connected'`, [code]);
    return row ? connectionRecord(row) : null;
  }

  /** JOOR's data team matches pending customers (all, or the codes given). */
  async process(codes: string[] | null): Promise<string[]> {
    const rows = await this.db.query<Row>(
      `UPDATE joor_sandbox.connections SET status = 'connected', updated_at = now() WHERE status = 'pending' AND ($1::text[] IS NULL OR customer_code = ANY($1::text[])) RETURNING customer_code`,
      [codes],
    );
    return rows.map((row) => row.customer_code as string);
  }

  async insertConnected(connections: JoorConnection[]): Promise<void> {
    if (!connections.length) return;
    await this.db.query(
      `INSERT INTO joor_sandbox.connections (customer_code, customer_name, data, status)
       SELECT x.customer_code, x.customer_name, x.data, 'connected' FROM jsonb_to_recordset($1::jsonb) AS x(customer_code text, customer_name text, data jsonb)
       ON CONFLICT (customer_code) DO NOTHING`,
      [JSON.stringify(connections.map((c) => ({ customer_code: c.customer_code, customer_name: c.customer_name, data: c })))],
    );
  }

  async state(): Promise<unknown[]> {
    await this.promoteDue();
    const rows = await this.db.query<Row>('SELECT * FROM joor_sandbox.connections ORDER BY customer_code');
    return rows.map((row) => ({ ...connectionRecord(row), created_at: row.created_at, updated_at: row.updated_at }));
  }

  private async promoteDue(): Promise<void> {
    if (this.config.connectionDelaySeconds <= 0) return;
    await this.db.query(`UPDATE joor_sandbox.connections SET status = 'connected', updated_at = now() WHERE status = 'pending' AND created_at + make_interval(secs => $1) <= now()`, [
      this.config.connectionDelaySeconds,
    ]);
  }
}
