import { JoorApiError, JoorMalformedResponseError, type JoorClient, type JoorConnectionJob, type JoorConnectionRecord } from '@app/joor-client';
import type { JoorCustomerPayload } from '@app/mapping';
import type { CustomerStateRepository, CustomerStateRow, RunCounts, RunEventInput } from '@app/persistence';
import { jobFailed, outcomeOf, pairLog } from './connection-outcome';
import { failed, taken } from './customer-states';

/** One customer to send: its AMC id, what JOOR is sent and its hash, and its row as it was. */
export interface CustomerToSend {
  amcId: string;
  code: string;
  name: string;
  payload: JoorCustomerPayload;
  hash: string;
  prev: CustomerStateRow | undefined;
}

/**
 * bulk-connection calls JOOR does not answer in a row (after the client's retries) before the run
 * gives up and lets the job retry: one lost call fails only its customers (they stay due).
 */
const MAX_UNANSWERED_CALLS = 3;

/**
 * Sends customers through v2 bulk-connection in calls filled up to `batchMax`, and records what JOOR
 * says of each (customer_state), following each call's job to its end:
 * - the answer's log (inline, any list form) says it per customer: `Updated` (JOOR knew the code:
 *   `active`), `Pending` (new: `pending`, waiting for JOOR's data team), an error (`failed`, JOOR's
 *   message as the reason);
 * - a customer the log does not name (the answer carried only the job's id, or left it out) is looked
 *   up by code once the call is answered (1 credit each): found with what was sent, `active`; found
 *   with other data, JOOR knows the code but its job has not applied the change yet (`active`, the
 *   change due for the next run); not found, `pending` (a new customer waiting for JOOR's data team;
 *   without a log a refusal looks the same, so it stays pending and visible);
 * - a job whose status says it failed, with no log: every customer of the call `failed`.
 */
export class JoorCustomerWriter {
  private readonly waiting: CustomerToSend[] = [];
  private unanswered = 0;
  private counts: Required<RunCounts> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  private due: Array<{ key: string; reason: string }> = [];
  private settled: string[] = [];
  /** Look-ups made to follow jobs whose answer carried no log. */
  followed = 0;

  constructor(
    private readonly connectionId: string,
    private readonly joor: JoorClient,
    private readonly states: CustomerStateRepository,
    private readonly batchMax: number,
    private readonly event: (event: RunEventInput) => void,
  ) {}

  /** Queues a customer; sends a call when one is full. */
  async add(customer: CustomerToSend): Promise<void> {
    this.waiting.push(customer);
    if (this.waiting.length >= this.batchMax) await this.send(this.waiting.splice(0, this.batchMax));
  }

  /** Sends what waits (a last, partial call). */
  async drain(): Promise<void> {
    while (this.waiting.length > 0) await this.send(this.waiting.splice(0, this.batchMax));
  }

  /** What was counted, and the customers now due or settled, since the last take. */
  take(): { counts: Required<RunCounts>; due: Array<{ key: string; reason: string }>; settled: string[] } {
    const out = { counts: this.counts, due: this.due, settled: this.settled };
    this.counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    this.due = [];
    this.settled = [];
    return out;
  }

  private async send(batch: CustomerToSend[]): Promise<void> {
    const sentAt = new Date();
    let job: JoorConnectionJob;
    try {
      job = await this.joor.bulkConnectionJob(batch.map((c) => c.payload));
      this.unanswered = 0;
    } catch (err) {
      const malformed = err instanceof JoorMalformedResponseError;
      if (!(err instanceof JoorApiError) && !malformed) throw err;
      const refused = !malformed && !err.transient && err.httpStatus !== null && err.httpStatus >= 400 && err.httpStatus < 500 && ![401, 403, 429].includes(err.httpStatus);
      if (!malformed && !err.transient && !refused) throw err;
      if (!refused && ++this.unanswered >= MAX_UNANSWERED_CALLS) throw err;
      const why = refused ? `JOOR refused the call sending ${batch.length} customer(s) (${err.message})` : `JOOR did not answer the call sending ${batch.length} customer(s) (${err.message})`;
      this.event({
        level: 'error',
        entityType: 'customers',
        reason: `${why}; they are sent again at the next run`,
        details: { codes: batch.slice(0, 20).map((c) => c.code), customers: batch.length },
      });
      await this.record(batch.map((c) => this.failure(c, `${why}; sent again at the next run`, sentAt)));
      return;
    }

    const entries = pairLog(
      batch.map((c) => c.code),
      job.connection_log,
    );
    const rows: CustomerStateRow[] = [];
    const toFollow: CustomerToSend[] = [];
    const noLog = job.connection_log.length === 0;
    batch.forEach((customer, i) => {
      const entry = entries[i];
      const outcome = entry ? outcomeOf(entry.status) : 'unknown';
      if (outcome === 'active' || outcome === 'pending') rows.push(this.took(customer, outcome, sentAt));
      else if (outcome === 'failed') {
        const said = [entry!.status, entry!.message].filter((s) => s && s.trim()).join(': ');
        rows.push(this.failure(customer, `JOOR refused customer ${customer.code} (AMC customer ${customer.amcId}, ${customer.name}): ${said}`, sentAt, true));
      } else if (noLog && jobFailed(job.job_status)) {
        rows.push(
          this.failure(customer, `JOOR's job${job.job_id ? ` ${job.job_id}` : ''} ended "${job.job_status}" without a log; customer ${customer.code} is sent again at the next run`, sentAt, true),
        );
      } else toFollow.push(customer);
    });
    for (const customer of toFollow) rows.push(await this.follow(customer, job, sentAt));
    await this.record(rows);
  }

  /** What JOOR shows of a customer its answer did not name: the job's outcome, read by code. */
  private async follow(customer: CustomerToSend, job: JoorConnectionJob, sentAt: Date): Promise<CustomerStateRow> {
    this.followed++;
    let record: JoorConnectionRecord | null;
    try {
      record = await this.joor.connectionByCode(customer.code);
    } catch (err) {
      if (!(err instanceof JoorApiError) || !err.transient) throw err;
      return this.failure(
        customer,
        `JOOR took the call (job ${job.job_id ?? 'without an id'}) but did not answer the look-up of customer ${customer.code} (${err.message}); sent again at the next run`,
        sentAt,
      );
    }
    if (!record) return this.took(customer, 'pending', sentAt, `sent in JOOR's job ${job.job_id ?? '(no id)'}, whose answer carried no log; not on JOOR yet: waiting for JOOR's data team to match it`);
    if (sameAsSent(record, customer.payload)) return this.took(customer, 'active', sentAt);
    const reason = `JOOR knows customer ${customer.code}, but its job ${job.job_id ?? '(no id)'} has not applied the change yet (JOOR shows "${record.customer_name}"); sent again at the next run`;
    this.event({ level: 'warning', entityType: 'customer', entityKey: customer.amcId, reason });
    this.counts.failed++;
    this.due.push({ key: customer.amcId, reason });
    // JOOR knows the code: active, but the change is not recorded as taken (the hash stays), so it goes again.
    const row = taken(customer.amcId, customer.prev, customer.code, customer.name, customer.prev?.payloadHash ?? '', 'active', sentAt);
    return { ...row, payloadHash: customer.prev?.payloadHash ?? null, reason };
  }

  private took(customer: CustomerToSend, outcome: 'active' | 'pending', at: Date, reason?: string): CustomerStateRow {
    const prev = customer.prev;
    if (outcome === 'pending' && prev?.sentCode !== customer.code) this.counts.created++;
    else this.counts.updated++;
    this.settled.push(customer.amcId);
    return taken(customer.amcId, prev, customer.code, customer.name, customer.hash, outcome, at, reason);
  }

  private failure(customer: CustomerToSend, reason: string, at: Date, perCustomerEvent = false): CustomerStateRow {
    this.counts.failed++;
    this.due.push({ key: customer.amcId, reason });
    if (perCustomerEvent) this.event({ level: 'error', entityType: 'customer', entityKey: customer.amcId, reason, details: { joorCode: customer.code } });
    return failed(customer.amcId, customer.prev, customer.code, customer.name, reason, at);
  }

  private async record(rows: CustomerStateRow[]): Promise<void> {
    await this.states.save(this.connectionId, rows);
  }
}

/** Whether JOOR's record shows what was sent, in the fields every record echoes (name, contact email). */
function sameAsSent(record: JoorConnectionRecord, sent: JoorCustomerPayload): boolean {
  const shown = record as Record<string, unknown>;
  const same = (field: keyof JoorCustomerPayload) => sent[field] === undefined || shown[field] === undefined || String(shown[field]) === String(sent[field]);
  return same('customer_name') && same('customer_contact_email');
}
