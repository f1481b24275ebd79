import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { AmcCustomer } from '@app/amc-client';
import { CUSTOMER_SYNC, type CustomerSyncPayload, type RunJobResult } from '@app/contracts';
import { JoorApiError, JoorMalformedResponseError, type JoorConnectionRecord } from '@app/joor-client';
import { duplicateCodes, mapCustomer, type MappedCustomer } from '@app/mapping';
import { CustomerStateRepository, SyncCursorRepository, SyncDueRepository, type CustomerStateRow } from '@app/persistence';
import { deltaSince, runOptionsOf, SyncRunner, type RunContext, type RunEnd } from '@app/sync-core';
import { AmcCustomerReader, type CustomerPage } from './amc-customer.reader';
import { CUSTOMER_SYNC_TUNING, type CustomerSyncTuning } from './customer-sync.tuning';
import { failed, matched, skipped, unchanged } from './customer-states';
import { JoorCustomerWriter } from './joor-customer.writer';

const CURSOR_STREAM = 'amc.customers';
/** sync_due kind of customers that failed (refused by our checks or by JOOR, or not answered). */
const DUE_KIND = 'customers';

type Mode = 'full' | 'delta' | 'codes';

/**
 * One customer run. A sync sends every active AMC customer carrying a JOOR code whose mapped payload
 * changed since JOOR last took it (a hash per customer), matched on the code:
 * - `full` (asked for, or the first run): every AMC customer;
 * - `delta`: the customers changed since the cursor (with an overlap) and the due ones (failed before);
 * - `codes`: the customers carrying the codes asked for.
 * Before sending, the customers of other runs that hold a code of this run (customer_state) are read
 * again, so two AMC customers with one JOOR code are found whichever of them changed: both are refused.
 * The `pendingCheck` mode sends nothing: it looks a few pending customers up (see `pendingCheck`).
 */
@Injectable()
export class CustomerSyncService {
  constructor(
    private readonly runner: SyncRunner,
    private readonly states: CustomerStateRepository,
    private readonly cursors: SyncCursorRepository,
    private readonly due: SyncDueRepository,
    @Inject(CUSTOMER_SYNC_TUNING) private readonly tuning: CustomerSyncTuning,
  ) {}

  handle(job: Job<CustomerSyncPayload, RunJobResult>): Promise<RunJobResult> {
    return this.runner.run(
      job,
      runOptionsOf(CUSTOMER_SYNC, this.tuning.busyRetryMs, (p: CustomerSyncPayload) => ({ full: p.full ?? false, codes: p.codes ?? null })),
      (run) => this.sync(run),
    );
  }

  private async sync(run: RunContext<CustomerSyncPayload>): Promise<RunEnd> {
    const { connectionId, payload } = run;
    const startedAt = new Date();
    const codes = [...new Set((payload.codes ?? []).map((c) => c.trim()).filter(Boolean))];
    const cursor = await this.cursors.get(connectionId, CURSOR_STREAM);
    const mode: Mode = codes.length ? 'codes' : payload.full || !cursor ? 'full' : 'delta';
    const since = mode === 'delta' ? deltaSince(cursor, this.tuning.cursorOverlapMs) : null;
    const dueCustomers = mode === 'delta' ? await this.due.due(connectionId, DUE_KIND) : [];
    await run.details({ mode, since, ...(codes.length ? { codes } : {}), retried: dueCustomers.length });

    // AMC reads are free of JOOR credits: the run holds its customers (about 1 kB each) so the duplicate check sees them all.
    const reader = new AmcCustomerReader(run.clients.amc);
    const customers = new Map<string, AmcCustomer>();
    let unreadable = 0;
    const take = async (pages: AsyncGenerator<CustomerPage>) => {
      for await (const page of pages) {
        for (const customer of page.customers) customers.set(customer.customer_id, customer);
        for (const bad of page.invalid) {
          unreadable++;
          run.count({ failed: 1 }, 1);
          run.event({ level: 'error', entityType: 'customer', entityKey: bad.id ?? undefined, reason: `AMC sent a customer record that cannot be read: ${bad.problems.join('; ')}` });
        }
        await run.checkpoint();
      }
    };
    if (mode === 'full') await take(reader.all());
    else if (mode === 'codes') await take(reader.byCodes(codes));
    else {
      await take(reader.changedSince(since!));
      const missing = dueCustomers.map((d) => d.key).filter((id) => !customers.has(id));
      if (missing.length) await take(reader.byIds(missing));
    }
    const mapped = new Map<string, MappedCustomer>([...customers].map(([id, c]) => [id, mapCustomer(c)]));
    if (mode !== 'full') {
      // Whoever else carries a code of this run (as last seen) is read again: a duplicate is refused on both sides.
      const held = [...mapped.values()].flatMap((m) => (m.kind !== 'skip' && m.code ? [m.code] : []));
      const others = await this.states.holdersOf(connectionId, [...new Set(held)], [...customers.keys()]);
      if (others.length) {
        const before = customers.size;
        await take(reader.byIds(others.map((o) => o.amcCustomerId)));
        for (const [id, c] of [...customers].slice(before)) mapped.set(id, mapCustomer(c));
      }
    }
    const duplicates = duplicateCodes([...mapped].flatMap(([amcCustomerId, m]) => (m.kind !== 'skip' && m.code ? [{ amcCustomerId, code: m.code, name: m.name }] : [])));

    const ids = [...mapped.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    await run.setTotal(ids.length + unreadable);
    const writer = new JoorCustomerWriter(connectionId, run.clients.joor, this.states, this.tuning.customersPerCall, run.event);
    let skippedCount = 0;
    const report = async (extra: { rows: CustomerStateRow[]; due: Array<{ key: string; reason: string }>; settled: string[]; looked: number }) => {
      await this.states.save(connectionId, extra.rows);
      const taken = writer.take();
      await this.due.record(connectionId, DUE_KIND, [...extra.due, ...taken.due]);
      await this.due.clear(connectionId, DUE_KIND, [...extra.settled, ...taken.settled]);
      const sent = taken.counts.created + taken.counts.updated + taken.counts.failed;
      run.count({ ...taken.counts }, sent);
      run.count({}, extra.looked);
      await run.flush();
    };
    // A page of customers at a time: their rows, counts and the calls they fill.
    for (let i = 0; i < ids.length; i += this.tuning.customersPerCall) {
      const part = ids.slice(i, i + this.tuning.customersPerCall);
      const prev = await this.states.find(connectionId, part);
      const rows: CustomerStateRow[] = [];
      const due: Array<{ key: string; reason: string }> = [];
      const settled: string[] = [];
      let looked = 0;
      for (const id of part) {
        const m = mapped.get(id)!;
        const before = prev.get(id);
        if (m.kind === 'skip') {
          skippedCount++;
          looked++;
          rows.push(skipped(id, before, m.code, m.name, m.reason));
          settled.push(id);
          continue;
        }
        const duplicate = m.code ? duplicates.get(m.code) : undefined;
        if (m.kind === 'refuse' || duplicate) {
          const reason = duplicate?.reason ?? (m as { reason: string }).reason;
          looked++;
          run.count({ failed: 1 });
          run.event({ level: 'error', entityType: 'customer', entityKey: id, reason, ...(m.code ? { details: { joorCode: m.code } } : {}) });
          rows.push(failed(id, before, m.code, m.name, reason, null));
          due.push({ key: id, reason });
          continue;
        }
        if (m.kind !== 'send') continue;
        if (before?.payloadHash === m.hash) {
          looked++;
          run.count({ unchanged: 1 });
          rows.push(unchanged(before, m.code, m.name));
          settled.push(id);
          continue;
        }
        await writer.add({ amcId: id, code: m.code, name: m.name, payload: m.payload, hash: m.hash, prev: before });
      }
      await report({ rows, due, settled, looked });
    }
    await writer.drain();
    await report({ rows: [], due: [], settled: [], looked: 0 });

    if (mode !== 'codes') await this.cursors.set(connectionId, CURSOR_STREAM, startedAt.toISOString());
    const stillDue = await this.due.count(connectionId, DUE_KIND);
    await run.details({ skipped: skippedCount, ...(writer.followed ? { followedByLookup: writer.followed } : {}), ...(stillDue || dueCustomers.length ? { due: stillDue } : {}) });
    if (mode !== 'codes') await this.pendingCheck(run, startedAt);
  }

  /**
   * The slow pending check, at the end of every full or delta run: JOOR's data team matches new
   * customers in days and tells no one, so pending customers are looked up by code (1 credit each), at
   * most `pendingChecksPerRun` per run and each at most once per `pendingRecheckMs` (a day by default)
   * since it was sent or last looked up (never in the run that sent it), the longest unseen first. Those
   * JOOR now shows become `active`.
   * Nothing pending and due: no call at all. The look-ups are not counted as customers of the run; its
   * details say what they found (`pendingCheck`).
   */
  private async pendingCheck(run: RunContext<CustomerSyncPayload>, runStartedAt: Date): Promise<void> {
    const { connectionId } = run;
    // Never a customer this run has just sent: JOOR has had no time to match it.
    const notSince = new Date(Math.min(Date.now() - this.tuning.pendingRecheckMs, runStartedAt.getTime() - 1));
    const candidates = await this.states.pendingDue(connectionId, notSince, this.tuning.pendingChecksPerRun);
    if (candidates.length === 0) return;
    let activated = 0;
    let lookedUp = 0;
    for (const row of candidates) {
      let found: JoorConnectionRecord | null;
      try {
        found = await run.clients.joor.connectionByCode(row.joorCode!);
      } catch (err) {
        if (!(err instanceof JoorApiError || err instanceof JoorMalformedResponseError) || (err instanceof JoorApiError && !err.transient)) throw err;
        // The check is a courtesy of the run: JOOR not answering it fails nothing; the next run looks again.
        run.event({
          level: 'warning',
          entityType: 'customer',
          entityKey: row.amcCustomerId,
          reason: `JOOR did not answer the look-up of pending customer ${row.joorCode} (${err.message}); looked up again at a later run`,
        });
        break;
      }
      lookedUp++;
      const at = new Date();
      if (found) {
        activated++;
        await this.states.save(connectionId, [matched(row, at)]);
        run.event({ level: 'info', entityType: 'customer', entityKey: row.amcCustomerId, reason: `JOOR has matched customer ${row.joorCode} (${row.name ?? 'no name'}): now active` });
      } else await this.states.save(connectionId, [{ ...row, checkedAt: at }]);
      await run.flush();
    }
    await run.details({ pendingCheck: { lookedUp, activated, stillPending: lookedUp - activated } });
  }
}
