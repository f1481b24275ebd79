import { Inject, Injectable } from '@nestjs/common';
import { AmcApiError, type AmcOrder } from '@app/amc-client';
import type { JoorFeedOrder } from '@app/joor-client';
import { failureDescription, mapJoorOrder, successDescription } from '@app/mapping';
import { OrderLedgerRepository, type OrderLedgerEntity, type RunCounts } from '@app/persistence';
import { classifyRunError } from '@app/sync-core';
import { ExportStatusWriter } from './export-status.writer';
import { INGEST_HOOKS, type IngestHooks } from './ingest-hooks';
import type { Outcome, PollState } from './poll-state';

/**
 * Each order into AMC exactly once: the ledger row first (unique per connection and JOOR order);
 * then, unless the ledger already knows the AMC order, a look for an AMC order carrying the JOOR id
 * (adopted if there is one); else the mapping, the create, the ledger, and last JOOR's Success.
 * Whatever step a crash interrupts, the next poll finds the order still unexported on JOOR and
 * resumes from what the ledger and AMC say, never creating a second AMC order.
 */
@Injectable()
export class OrderIngestor {
  constructor(
    private readonly ledger: OrderLedgerRepository,
    private readonly exports: ExportStatusWriter,
    @Inject(INGEST_HOOKS) private readonly hooks: IngestHooks,
  ) {}

  /**
   * Orders dated before the connection's start date: remembered in the ledger as `ignored` (with an
   * event the first time), so later polls pass them by without a look. An order already in AMC
   * stays as it is. Moving the start date back brings them in again (the date decides each poll).
   */
  async ignoreBeforeStart(state: PollState, orders: JoorFeedOrder[]): Promise<number> {
    if (orders.length === 0) return 0;
    const rows = await this.ledger.ensure(
      state.connectionId,
      orders.map((o) => ({ joorOrderId: o.order_id, joorModifiedAt: parseDate(o.date_modified) })),
    );
    const fresh = orders.filter((o) => !['ignored', 'created'].includes(rows.get(o.order_id)!.state));
    if (fresh.length === 0) return 0;
    const reason = `dated before the connection's start date ${state.run.clients.settings.orderStartDate}; not brought into AMC`;
    await this.ledger.markIgnored(
      fresh.map((o) => rows.get(o.order_id)!.id),
      reason,
    );
    for (const order of fresh) state.run.event({ level: 'info', entityType: 'order', entityKey: order.order_id, reason: `JOOR order ${order.order_id} (${order.date_created}) is ${reason}` });
    return fresh.length;
  }

  /** One chunk of orders (a bulk call's worth); answers the ones that met a transient failure (to try again later in this poll). */
  async chunk(state: PollState, orders: JoorFeedOrder[]): Promise<JoorFeedOrder[]> {
    const rows = await this.ledger.ensure(
      state.connectionId,
      orders.map((o) => ({ joorOrderId: o.order_id, joorModifiedAt: parseDate(o.date_modified) })),
    );
    const deferred: JoorFeedOrder[] = [];
    const toIngest = orders.filter((o) => rows.get(o.order_id)!.state !== 'created');
    let existing = new Map<string, AmcOrder[]>();
    try {
      existing = await state.lookup.existingOrders(toIngest.map((o) => o.order_id));
      await state.lookup.loadCustomers(toIngest.map((o) => o.customer_code));
      await state.lookup.loadSkus(toIngest.flatMap((o) => o.line_items));
      await state.lookup.currencyIdByCode();
    } catch (err) {
      const { permanent, reason } = classifyRunError(err);
      if (permanent) throw err;
      // Without the look before create nothing of this chunk may be created: all of it waits.
      for (const order of toIngest) await this.ledger.noteTransient(rows.get(order.order_id)!.id, reason);
      deferred.push(...toIngest);
    }
    const waiting = new Set(deferred.map((o) => o.order_id));

    let done = 0;
    const counts: RunCounts = {};
    for (const order of orders) {
      if (waiting.has(order.order_id)) continue;
      const row = rows.get(order.order_id)!;
      const outcome = row.state === 'created' ? await this.revisit(state, order, row) : await this.ingest(state, order, row, existing.get(order.order_id) ?? []);
      if (outcome === 'deferred') deferred.push(order);
      else {
        state.tally[outcome]++;
        if (outcome !== 'skipped') counts[outcome] = (counts[outcome] ?? 0) + 1;
        done++;
      }
    }
    await this.exports.flush(state);
    state.run.count(counts, done);
    await state.run.flush();
    return deferred;
  }

  /** An order the ledger already has in AMC: finish JOOR's Success if it is missing; never a second AMC order. */
  private async revisit(state: PollState, order: JoorFeedOrder, row: OrderLedgerEntity): Promise<Outcome> {
    const modifiedAt = parseDate(order.date_modified);
    if (order.export_status !== 'Success') {
      state.exports.push({ id: order.order_id, export_status: 'Success', export_description: successDescription(row.amcOrderId!) });
      return 'unchanged';
    }
    if (modifiedAt && (!row.joorModifiedAt || modifiedAt.getTime() > row.joorModifiedAt.getTime())) {
      state.run.event({
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

  private async ingest(state: PollState, order: JoorFeedOrder, row: OrderLedgerEntity, inAmc: AmcOrder[]): Promise<Outcome> {
    const modifiedAt = parseDate(order.date_modified);
    if (inAmc.length > 0) return this.adopt(state, order, row, inAmc);
    if (order.export_status === 'Success') {
      // JOOR says exported, AMC has no order with this id and our ledger never created one: exported by something else.
      const reason = `JOOR shows order ${order.order_id} as exported, but no AMC order carries its JOOR id; not created, to avoid a duplicate elsewhere. Create it by hand or set it to Pending on JOOR.`;
      if (row.lastError !== reason) state.run.event({ level: 'warning', entityType: 'order', entityKey: order.order_id, reason });
      await this.ledger.noteTransient(row.id, reason);
      return 'unchanged';
    }

    await this.ledger.startAttempt(row.id);
    const { settings, amc } = state.run.clients;
    const mapping = mapJoorOrder(order, {
      customer: state.lookup.customer(order.customer_code),
      currencyIdByCode: await state.lookup.currencyIdByCode(),
      skus: order.line_items.map((line) => state.lookup.sku(line)),
      warehouseId: settings.amcWarehouseId,
      divisionId: settings.divisionId,
      creditStatus: settings.creditStatus,
    });
    if (!mapping.ok) return this.fail(state, order, row, mapping.problems);

    await this.hooks.reached('before-amc-create', order.order_id);
    let created: AmcOrder;
    try {
      created = await amc.createOrder(mapping.order);
    } catch (err) {
      const { reason } = classifyRunError(err);
      if (err instanceof AmcApiError && err.details.outcomeUnknown) {
        // The create may have reached AMC: look before anything else.
        try {
          const found = await amc.findOrdersByJoorId(order.order_id);
          if (found.length > 0) return this.adopt(state, order, row, found);
        } catch (lookErr) {
          await this.ledger.noteTransient(row.id, `${reason}; then the look-up failed: ${classifyRunError(lookErr).reason}`);
          return 'deferred';
        }
        await this.ledger.noteTransient(row.id, reason);
        return 'deferred';
      }
      if (err instanceof AmcApiError && !err.retryable) {
        return this.fail(state, order, row, [err.amcErrors.length > 0 ? `AMC refused the order: ${err.amcErrors.join('; ')}` : `AMC refused the order: ${err.message}`]);
      }
      await this.ledger.noteTransient(row.id, reason);
      return 'deferred';
    }
    await this.hooks.reached('after-amc-create', order.order_id);
    const amcOrderId = await this.heldAs(state, order, created);
    await this.ledger.markCreated(row.id, amcOrderId, modifiedAt);
    state.run.event({
      level: 'info',
      entityType: 'order',
      entityKey: order.order_id,
      reason: `JOOR order ${order.order_id} created in AMC as sales order ${amcOrderId}`,
      details: { amcOrderId, lines: created.order_items.length, total: mapping.total, currency: order.order_currency },
    });
    await this.hooks.reached('before-joor-export', order.order_id);
    state.exports.push({ id: order.order_id, export_status: 'Success', export_description: successDescription(amcOrderId) });
    return 'created';
  }

  /**
   * The id AMC holds the new order under, read back by its JOOR id rather than taken from the
   * create's answer alone: that id goes to JOOR, where the brand follows it to AMC, and an answer
   * can come back wrong (the chaos run's faults made one name an order that does not exist). One
   * AMC read per created order. If the read fails or finds nothing, the answer's id stands.
   */
  private async heldAs(state: PollState, order: JoorFeedOrder, created: AmcOrder): Promise<string> {
    let held: AmcOrder[];
    try {
      held = await state.run.clients.amc.findOrdersByJoorId(order.order_id);
    } catch {
      return created.order_id;
    }
    if (held.length === 0 || held.some((o) => o.order_id === created.order_id)) return created.order_id;
    const [first] = held;
    state.run.event({
      level: 'warning',
      entityType: 'order',
      entityKey: order.order_id,
      reason: `AMC's answer to the create named sales order ${created.order_id}, but AMC holds JOOR order ${order.order_id} as ${held.map((o) => o.order_id).join(', ')}; recorded ${first.order_id}`,
    });
    return first.order_id;
  }

  /** AMC already has the order (an earlier attempt, cut short, or made by hand): record it, tell JOOR, create nothing. */
  private async adopt(state: PollState, order: JoorFeedOrder, row: OrderLedgerEntity, inAmc: AmcOrder[]): Promise<Outcome> {
    const [first] = inAmc;
    await this.ledger.markCreated(row.id, first.order_id, parseDate(order.date_modified));
    state.run.event({
      level: inAmc.length > 1 ? 'warning' : 'info',
      entityType: 'order',
      entityKey: order.order_id,
      reason:
        inAmc.length > 1
          ? `AMC already holds ${inAmc.length} orders carrying JOOR id ${order.order_id} (${inAmc.map((o) => o.order_id).join(', ')}); kept ${first.order_id}, created none. Remove the extra ones by hand.`
          : `JOOR order ${order.order_id} was already in AMC as sales order ${first.order_id}; recorded it, created none`,
      details: { amcOrderIds: inAmc.map((o) => o.order_id) },
    });
    state.exports.push({ id: order.order_id, export_status: 'Success', export_description: successDescription(first.order_id) });
    return 'unchanged';
  }

  /** Cannot be created: Failed on JOOR with the reason, an event, the ledger; tried again at the next poll. */
  private async fail(state: PollState, order: JoorFeedOrder, row: OrderLedgerEntity, problems: string[]): Promise<Outcome> {
    const reason = problems.join('; ');
    const repeated = row.state === 'failed' && row.lastError === reason.slice(0, 2_000) && row.exportedAt !== null && order.export_status === 'Failed';
    await this.ledger.markFailed(row, reason, parseDate(order.date_modified));
    if (!repeated) {
      state.run.event({ level: 'error', entityType: 'order', entityKey: order.order_id, reason: `JOOR order ${order.order_id} cannot be created in AMC: ${reason}`, details: { problems } });
      state.exports.push({ id: order.order_id, export_status: 'Failed', export_description: failureDescription(problems) });
    }
    return 'failed';
  }
}

export function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
