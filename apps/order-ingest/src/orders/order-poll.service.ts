import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AmcApiError, type AmcClient, type AmcOrder } from '@app/amc-client';
import { sleep } from '@app/util';
import type { ConnectionSettings, OrdersPollPayload, RunJobResult, RunStatus } from '@app/contracts';
import { JoorApiError, type JoorClient, type JoorFeedOrder, type JoorOrderExportUpdate } from '@app/joor-client';
import { failureDescription, isOnOrAfterStart, mapJoorOrder, successDescription } from '@app/mapping';
import { ConnectionRepository, type OrderLedgerEntity } from '@app/persistence';
import { OrderLedgerRepository } from '@app/persistence';
import { ConnectionClients, ConnectionNotFoundError, SyncRunRepository, type CreditMeter, type RunCounts, type RunEventInput } from '@app/sync-core';
import { ORDER_INGEST_CONFIG, type HaltPoint, type OrderIngestConfig } from '../order-ingest.config';
import { AmcOrderLookup } from './amc-order-lookup';
import { orderFeedQuery } from './order-feed-query';
import { PollBusyError, PollLock } from './poll-lock';

/** What became of one order in this poll. */
type Outcome = 'created' | 'unchanged' | 'failed' | 'deferred' | 'skipped';

/** One poll's working state: the clients, the lookups, the export statuses waiting to be written. */
interface PollContext {
  runId: string;
  connectionId: string;
  settings: ConnectionSettings;
  amc: AmcClient;
  joor: JoorClient;
  meter: CreditMeter;
  lookup: AmcOrderLookup;
  exports: JoorOrderExportUpdate[];
  events: RunEventInput[];
  tally: Record<Outcome, number>;
}

// JOOR's bulk maximum: a chunk's export statuses go in one 5-credit call.
const CHUNK = 100;

/**
 * `orders.poll`: JOOR orders into AMC exactly once, the export status written back.
 *
 * For each order: the ledger row first (unique per connection and JOOR order); then, unless the
 * ledger already knows the AMC order, a look for an AMC order carrying the JOOR id (adopted if
 * there is one); else the mapping, the create, the ledger, and last JOOR's Success. Whatever step a
 * crash interrupts, the next poll finds the order still unexported on JOOR and resumes from what
 * the ledger and AMC say, never creating a second AMC order.
 */
@Injectable()
export class OrderPollService {
  private readonly logger = new Logger(OrderPollService.name);

  constructor(
    private readonly clients: ConnectionClients,
    private readonly runs: SyncRunRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly connections: ConnectionRepository,
    private readonly dataSource: DataSource,
    @Inject(ORDER_INGEST_CONFIG) private readonly config: OrderIngestConfig,
  ) {}

  async handle(job: Job<OrdersPollPayload>): Promise<RunJobResult> {
    const { connectionId } = job.data;
    let runId = job.data.runId;
    if (!runId) {
      // A scheduled poll opens its own run, once: a retry of the job finds the run id in its data.
      if (!(await this.connections.findById(connectionId))) throw new UnrecoverableError(`connection ${connectionId} does not exist (deleted?)`);
      const run = await this.runs.queue(connectionId, 'orders', job.data.trigger ?? 'schedule');
      runId = run.id;
      if (job.id) await this.runs.setJobId(runId, job.id);
      await job.updateData({ ...job.data, runId });
    }
    await this.runs.start(runId);
    try {
      return { runId, status: await this.poll(connectionId, runId) };
    } catch (err) {
      const reason = describeError(err);
      const permanent = isPermanent(err);
      this.logger.warn({ msg: `order poll failed: ${reason}`, connectionId, runId, permanent });
      await this.runs.event(runId, connectionId, { level: 'error', reason: `Order poll failed: ${reason}` }).catch(() => undefined);
      await this.runs.finish(runId, 'failed', reason);
      if (permanent) {
        const unrecoverable = new UnrecoverableError(reason);
        (unrecoverable as Error & { cause?: unknown }).cause = err;
        throw unrecoverable;
      }
      throw err;
    }
  }

  private async poll(connectionId: string, runId: string): Promise<RunStatus> {
    const connection = await this.clients.forConnection(connectionId, 'orders');
    const run = await this.runs.find(runId);
    const onlyOrderId = typeof run?.details?.joorOrderId === 'string' ? run.details.joorOrderId : undefined;
    let lock: PollLock;
    try {
      // A scheduled poll does not queue up behind a running one: that one is doing the work.
      lock = await PollLock.acquire(this.dataSource, connectionId, run?.trigger === 'schedule' ? 0 : this.config.lockWaitMs);
    } catch (err) {
      if (!(err instanceof PollBusyError) || run?.trigger !== 'schedule') throw err;
      await this.runs.mergeDetails(runId, { skipped: 'another order poll of this connection was running' });
      await this.runs.finish(runId, 'succeeded');
      return 'succeeded';
    }
    const ctx: PollContext = {
      runId,
      connectionId,
      settings: connection.settings,
      amc: connection.amc,
      joor: connection.joor,
      meter: connection.meter,
      lookup: new AmcOrderLookup(connection.amc),
      exports: [],
      events: [],
      tally: { created: 0, unchanged: 0, failed: 0, deferred: 0, skipped: 0 },
    };
    try {
      const { orders, invalid, truncated } = await this.readFeed(ctx, onlyOrderId);
      if (invalid.length > 0) {
        ctx.events.push(...invalid.map((i) => ({ level: 'warning' as const, entityType: 'order', reason: `JOOR sent an order record that cannot be read: ${i.problem}` })));
      }
      const due = orders.filter((o) => isOnOrAfterStart(o.date_created, ctx.settings.orderStartDate));
      ctx.tally.skipped = orders.length - due.length;
      const newlyIgnored = await this.ignoreBeforeStart(ctx, orders.filter((o) => !isOnOrAfterStart(o.date_created, ctx.settings.orderStartDate)));
      await this.runs.setTotal(runId, due.length);
      await this.flushBookkeeping(ctx, 0);

      let pending = due;
      for (let round = 0; pending.length > 0; round++) {
        const deferred: JoorFeedOrder[] = [];
        for (let i = 0; i < pending.length; i += CHUNK) {
          const chunk = pending.slice(i, i + CHUNK);
          deferred.push(...(await this.processChunk(ctx, chunk)));
        }
        if (deferred.length === 0 || round >= this.config.transientRounds) {
          ctx.tally.deferred = deferred.length;
          break;
        }
        await sleep(this.config.transientDelayMs * 2 ** round);
        pending = deferred;
      }
      if (!onlyOrderId && !truncated) await this.reconcileUnexported(ctx, new Set(orders.map((o) => o.order_id)));

      const status: RunStatus = ctx.tally.failed > 0 || ctx.tally.deferred > 0 ? 'partial' : 'succeeded';
      await this.runs.mergeDetails(runId, {
        ordersRead: orders.length,
        skippedBeforeStartDate: ctx.tally.skipped,
        newlyIgnored,
        deferred: ctx.tally.deferred,
        ...(truncated ? { truncated: `more than ${this.config.maxOrdersPerPoll} orders waiting: the rest follow at the next poll` } : {}),
        ...(onlyOrderId ? { joorOrderId: onlyOrderId } : {}),
      });
      if (ctx.tally.deferred > 0) {
        ctx.events.push({ level: 'warning', entityType: 'order', reason: `${ctx.tally.deferred} order(s) met transient failures and are left for the next poll (never marked Failed)` });
      }
      await this.flushBookkeeping(ctx, 0);
      await this.runs.finish(runId, status);
      this.logger.log({ msg: 'order poll finished', connectionId, runId, status, ...ctx.tally });
      return status;
    } finally {
      await this.flushBookkeeping(ctx, 0).catch(() => undefined);
      await lock.release();
    }
  }

  /** The whole feed first, then the work: writing export statuses while paging would shift JOOR's offsets under the reader. */
  private async readFeed(ctx: PollContext, orderId?: string): Promise<{ orders: JoorFeedOrder[]; invalid: Array<{ problem: string }>; truncated: boolean }> {
    const query = orderFeedQuery(ctx.settings, orderId);
    const count = this.config.feedPageSize;
    const byId = new Map<string, JoorFeedOrder>();
    const invalid: Array<{ problem: string }> = [];
    for (let startFrom = 0; ; startFrom += count) {
      const page = await ctx.joor.orderFeedPage({ ...query, startFrom, count });
      // An order modified while the feed is read moves to its end and may show twice: keep the latest.
      for (const order of page.items) byId.set(order.order_id, order);
      invalid.push(...page.invalid);
      const seen = page.items.length + page.invalid.length;
      if (byId.size >= this.config.maxOrdersPerPoll) return { orders: [...byId.values()].slice(0, this.config.maxOrdersPerPoll), invalid, truncated: true };
      if (seen < count || (page.total !== null && startFrom + seen >= page.total)) return { orders: [...byId.values()], invalid, truncated: false };
    }
  }

  /**
   * Orders dated before the connection's start date: remembered in the ledger as `ignored` (with an
   * event the first time), so later polls pass them by without a look. An order already in AMC
   * stays as it is. Moving the start date back brings them in again (the date decides each poll).
   */
  private async ignoreBeforeStart(ctx: PollContext, orders: JoorFeedOrder[]): Promise<number> {
    if (orders.length === 0) return 0;
    const rows = await this.ledger.ensure(
      ctx.connectionId,
      orders.map((o) => ({ joorOrderId: o.order_id, joorModifiedAt: parseDate(o.date_modified) })),
    );
    const fresh = orders.filter((o) => !['ignored', 'created'].includes(rows.get(o.order_id)!.state));
    if (fresh.length === 0) return 0;
    const reason = `dated before the connection's start date ${ctx.settings.orderStartDate}; not brought into AMC`;
    await this.ledger.markIgnored(fresh.map((o) => rows.get(o.order_id)!.id), reason);
    for (const order of fresh) ctx.events.push({ level: 'info', entityType: 'order', entityKey: order.order_id, reason: `JOOR order ${order.order_id} (${order.date_created}) is ${reason}` });
    return fresh.length;
  }

  /** One chunk of orders; answers the ones that met a transient failure (to try again later in this poll). */
  private async processChunk(ctx: PollContext, orders: JoorFeedOrder[]): Promise<JoorFeedOrder[]> {
    const rows = await this.ledger.ensure(
      ctx.connectionId,
      orders.map((o) => ({ joorOrderId: o.order_id, joorModifiedAt: parseDate(o.date_modified) })),
    );
    const deferred: JoorFeedOrder[] = [];
    const toIngest = orders.filter((o) => rows.get(o.order_id)!.state !== 'created');
    let existing = new Map<string, AmcOrder[]>();
    try {
      existing = await ctx.lookup.existingOrders(toIngest.map((o) => o.order_id));
      await ctx.lookup.loadCustomers(toIngest.map((o) => o.customer_code));
      await ctx.lookup.loadSkus(toIngest.flatMap((o) => o.line_items));
      await ctx.lookup.currencyIdByCode();
    } catch (err) {
      if (isPermanent(err)) throw err;
      // Without the look before create nothing of this chunk may be created: all of it waits.
      for (const order of toIngest) await this.ledger.noteTransient(rows.get(order.order_id)!.id, describeError(err));
      deferred.push(...toIngest);
    }
    const waiting = new Set(deferred.map((o) => o.order_id));

    let done = 0;
    const counts: RunCounts = {};
    for (const order of orders) {
      if (waiting.has(order.order_id)) continue;
      const row = rows.get(order.order_id)!;
      const outcome = row.state === 'created' ? await this.revisit(ctx, order, row) : await this.ingest(ctx, order, row, existing.get(order.order_id) ?? []);
      if (outcome === 'deferred') deferred.push(order);
      else {
        ctx.tally[outcome]++;
        counts[outcome as keyof RunCounts] = (counts[outcome as keyof RunCounts] ?? 0) + 1;
        done++;
      }
    }
    await this.flushExports(ctx);
    await this.runs.add(ctx.runId, counts, ctx.meter.take(), done);
    await this.flushBookkeeping(ctx, 0);
    return deferred;
  }

  /** An order the ledger already has in AMC: finish JOOR's Success if it is missing; never a second AMC order. */
  private async revisit(ctx: PollContext, order: JoorFeedOrder, row: OrderLedgerEntity): Promise<Outcome> {
    const modifiedAt = parseDate(order.date_modified);
    if (order.export_status !== 'Success') {
      ctx.exports.push({ id: order.order_id, export_status: 'Success', export_description: successDescription(row.amcOrderId!) });
      return 'unchanged';
    }
    if (modifiedAt && (!row.joorModifiedAt || modifiedAt.getTime() > row.joorModifiedAt.getTime())) {
      ctx.events.push({
        level: 'warning',
        entityType: 'order',
        entityKey: order.order_id,
        reason: `JOOR order ${order.order_id} was changed on JOOR after it was exported to AMC sales order ${row.amcOrderId}; no second AMC order was created. Bring AMC order ${row.amcOrderId} in line by hand if the change matters.`,
        details: { amcOrderId: row.amcOrderId, joorModifiedAt: order.date_modified, status: order.order_status },
      });
      await this.ledger.setJoorModifiedAt(row.id, modifiedAt);
    }
    return 'unchanged';
  }

  private async ingest(ctx: PollContext, order: JoorFeedOrder, row: OrderLedgerEntity, inAmc: AmcOrder[]): Promise<Outcome> {
    const modifiedAt = parseDate(order.date_modified);
    if (inAmc.length > 0) return this.adopt(ctx, order, row, inAmc);
    if (order.export_status === 'Success') {
      // JOOR says exported, AMC has no order with this id and our ledger never created one: exported by something else.
      const reason = `JOOR shows order ${order.order_id} as exported, but no AMC order carries its JOOR id; not created, to avoid a duplicate elsewhere. Create it by hand or set it to Pending on JOOR.`;
      if (row.lastError !== reason) ctx.events.push({ level: 'warning', entityType: 'order', entityKey: order.order_id, reason });
      await this.ledger.noteTransient(row.id, reason);
      return 'unchanged';
    }

    await this.ledger.startAttempt(row.id);
    const mapping = mapJoorOrder(order, {
      customer: ctx.lookup.customer(order.customer_code),
      currencyIdByCode: await ctx.lookup.currencyIdByCode(),
      skus: order.line_items.map((line) => ctx.lookup.sku(line)),
      warehouseId: ctx.settings.amcWarehouseId,
      divisionId: ctx.settings.divisionId,
      creditStatus: ctx.settings.creditStatus,
    });
    if (!mapping.ok) return this.fail(ctx, order, row, mapping.problems);

    await this.halt('before-amc-create', order.order_id);
    let created: AmcOrder;
    try {
      created = await ctx.amc.createOrder(mapping.order);
    } catch (err) {
      if (err instanceof AmcApiError && err.details.outcomeUnknown) {
        // The create may have reached AMC: look before anything else.
        try {
          const found = await ctx.amc.findOrdersByJoorId(order.order_id);
          if (found.length > 0) return this.adopt(ctx, order, row, found);
        } catch (lookErr) {
          await this.ledger.noteTransient(row.id, `${describeError(err)}; then the look-up failed: ${describeError(lookErr)}`);
          return 'deferred';
        }
        await this.ledger.noteTransient(row.id, describeError(err));
        return 'deferred';
      }
      if (err instanceof AmcApiError && !err.retryable) {
        return this.fail(ctx, order, row, [err.amcErrors.length > 0 ? `AMC refused the order: ${err.amcErrors.join('; ')}` : `AMC refused the order: ${err.message}`]);
      }
      await this.ledger.noteTransient(row.id, describeError(err));
      return 'deferred';
    }
    await this.halt('after-amc-create', order.order_id);
    await this.ledger.markCreated(row.id, created.order_id, modifiedAt);
    ctx.events.push({
      level: 'info',
      entityType: 'order',
      entityKey: order.order_id,
      reason: `JOOR order ${order.order_id} created in AMC as sales order ${created.order_id}`,
      details: { amcOrderId: created.order_id, lines: created.order_items.length, total: mapping.total, currency: order.order_currency },
    });
    await this.halt('before-joor-export', order.order_id);
    ctx.exports.push({ id: order.order_id, export_status: 'Success', export_description: successDescription(created.order_id) });
    return 'created';
  }

  /** AMC already has the order (an earlier attempt, cut short, or made by hand): record it, tell JOOR, create nothing. */
  private async adopt(ctx: PollContext, order: JoorFeedOrder, row: OrderLedgerEntity, inAmc: AmcOrder[]): Promise<Outcome> {
    const [first] = inAmc;
    await this.ledger.markCreated(row.id, first.order_id, parseDate(order.date_modified));
    ctx.events.push({
      level: inAmc.length > 1 ? 'warning' : 'info',
      entityType: 'order',
      entityKey: order.order_id,
      reason:
        inAmc.length > 1
          ? `AMC already holds ${inAmc.length} orders carrying JOOR id ${order.order_id} (${inAmc.map((o) => o.order_id).join(', ')}); kept ${first.order_id}, created none. Remove the extra ones by hand.`
          : `JOOR order ${order.order_id} was already in AMC as sales order ${first.order_id}; recorded it, created none`,
      details: { amcOrderIds: inAmc.map((o) => o.order_id) },
    });
    ctx.exports.push({ id: order.order_id, export_status: 'Success', export_description: successDescription(first.order_id) });
    return 'unchanged';
  }

  /** Cannot be created: Failed on JOOR with the reason, an event, the ledger; tried again at the next poll. */
  private async fail(ctx: PollContext, order: JoorFeedOrder, row: OrderLedgerEntity, problems: string[]): Promise<Outcome> {
    const reason = problems.join('; ');
    const repeated = row.state === 'failed' && row.lastError === reason.slice(0, 2_000) && row.exportedAt !== null && order.export_status === 'Failed';
    await this.ledger.markFailed(row, reason, parseDate(order.date_modified));
    if (!repeated) {
      ctx.events.push({ level: 'error', entityType: 'order', entityKey: order.order_id, reason: `JOOR order ${order.order_id} cannot be created in AMC: ${reason}`, details: { problems } });
      ctx.exports.push({ id: order.order_id, export_status: 'Failed', export_description: failureDescription(problems) });
    }
    return 'failed';
  }

  /** Writes the export statuses gathered so far; an order JOOR did not take stays unexported and is picked up next poll. */
  private async flushExports(ctx: PollContext): Promise<void> {
    if (ctx.exports.length === 0) return;
    const batch = ctx.exports.splice(0, ctx.exports.length);
    try {
      const result = await ctx.joor.updateOrderExportStatus(batch);
      await this.halt('after-joor-export', String(batch[0].id));
      await this.ledger.markExported(ctx.connectionId, result.ok.map((ok) => String(ok.input.id)), new Date());
      for (const failed of result.failed) {
        ctx.events.push({
          level: 'warning',
          entityType: 'order',
          entityKey: String(failed.input.id),
          reason: `JOOR did not take export status ${failed.input.export_status} for order ${failed.input.id} (${failed.status}: ${failed.message}); tried again at the next poll`,
        });
      }
    } catch (err) {
      if (isPermanent(err) && !(err instanceof JoorApiError && err.httpStatus === 400)) throw err;
      ctx.events.push({ level: 'warning', entityType: 'order', reason: `Writing ${batch.length} export status(es) to JOOR failed (${describeError(err)}); tried again at the next poll` });
    }
  }

  /**
   * Created orders whose Success JOOR never confirmed and that this poll did not see (a crash right
   * after JOOR took the status, or the order left the statuses polled): ask JOOR, then finish.
   */
  private async reconcileUnexported(ctx: PollContext, seen: Set<string>): Promise<void> {
    const rows = (await this.ledger.unexported(ctx.connectionId, 1_000)).filter((r) => !seen.has(r.joorOrderId));
    if (rows.length === 0) return;
    try {
      const { items } = await ctx.joor.listOrders({ ids: rows.map((r) => r.joorOrderId) });
      const byId = new Map(items.map((o) => [o.id, o]));
      const confirmed: string[] = [];
      for (const row of rows) {
        const joorOrder = byId.get(row.joorOrderId);
        if (!joorOrder) continue;
        if (joorOrder.export_status === 'Success') confirmed.push(row.joorOrderId);
        else ctx.exports.push({ id: row.joorOrderId, export_status: 'Success', export_description: successDescription(row.amcOrderId!) });
      }
      await this.ledger.markExported(ctx.connectionId, confirmed, new Date());
      await this.flushExports(ctx);
    } catch (err) {
      if (isPermanent(err)) throw err;
      ctx.events.push({ level: 'warning', entityType: 'order', reason: `Confirming ${rows.length} export status(es) on JOOR failed (${describeError(err)}); tried again at the next poll` });
    }
    await this.runs.add(ctx.runId, {}, ctx.meter.take());
  }

  private async flushBookkeeping(ctx: PollContext, progress: number): Promise<void> {
    const events = ctx.events.splice(0, ctx.events.length);
    await this.runs.events(ctx.runId, ctx.connectionId, events);
    const credits = ctx.meter.take();
    if (credits > 0 || progress > 0) await this.runs.add(ctx.runId, {}, credits, progress);
  }

  /** The test hook (see OrderIngestConfig.haltAt): stop here, holding everything, until the process is killed. */
  private async halt(point: HaltPoint, joorOrderId: string): Promise<void> {
    if (this.config.haltAt !== point) return;
    this.logger.warn({ msg: `ORDER_INGEST_HALTED at ${point}`, joorOrderId });
    process.stdout.write(`ORDER_INGEST_HALTED at ${point} order ${joorOrderId}\n`);
    await new Promise<never>(() => undefined);
  }
}

function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Failures no retry can mend: refused credentials, a 4xx, a connection that is gone. */
function isPermanent(err: unknown): boolean {
  if (err instanceof ConnectionNotFoundError) return true;
  if (err instanceof JoorApiError) return !err.transient;
  if (err instanceof AmcApiError) return !err.retryable;
  return false;
}

function describeError(err: unknown): string {
  if (err instanceof PollBusyError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
