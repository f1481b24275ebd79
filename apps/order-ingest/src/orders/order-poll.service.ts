import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ORDERS_POLL, type OrdersPollPayload, type RunJobResult } from '@app/contracts';
import type { JoorFeedOrder } from '@app/joor-client';
import { isOnOrAfterStart } from '@app/mapping';
import { runOptionsOf, SyncRunner, type RunContext, type RunEnd } from '@app/sync-core';
import { systemClock } from '@app/util';
import { ORDER_INGEST_CONFIG, type OrderIngestConfig } from '../order-ingest.config';
import { ExportStatusWriter } from './export-status.writer';
import { readOrderFeed } from './order-feed.reader';
import { OrderIngestor } from './order-ingestor';
import { PollState } from './poll-state';

/** JOOR's bulk maximum: a chunk's export statuses go in one 5-credit call. */
const CHUNK = 100;

/**
 * `orders.poll`: JOOR orders into AMC exactly once, the export status written back. The runner owns
 * the run's life (one poll per connection at a time); this reads the feed (readOrderFeed), hands
 * the orders to the ingestor a chunk at a time, gives orders that met a transient failure a few more
 * rounds, and reconciles what JOOR has not confirmed (ExportStatusWriter).
 */
@Injectable()
export class OrderPollService {
  constructor(
    private readonly runner: SyncRunner,
    private readonly ingestor: OrderIngestor,
    private readonly exports: ExportStatusWriter,
    @Inject(ORDER_INGEST_CONFIG) private readonly config: OrderIngestConfig,
  ) {}

  handle(job: Job<OrdersPollPayload, RunJobResult>): Promise<RunJobResult> {
    return this.runner.run(job, runOptionsOf(ORDERS_POLL, this.config.busyRetryMs), (run) => this.poll(run));
  }

  private async poll(run: RunContext<OrdersPollPayload>): Promise<RunEnd> {
    const state = new PollState(run);
    const { settings, joor } = run.clients;
    const onlyOrderId = run.payload.joorOrderId;
    const { orders, invalid, truncated } = await readOrderFeed(joor, settings, { pageSize: this.config.feedPageSize, maxOrders: this.config.maxOrdersPerPoll, orderId: onlyOrderId });
    for (const bad of invalid) run.event({ level: 'warning', entityType: 'order', reason: `JOOR sent an order record that cannot be read: ${bad.problem}` });
    const due = orders.filter((o) => isOnOrAfterStart(o.date_created, settings.orderStartDate));
    state.tally.skipped = orders.length - due.length;
    const newlyIgnored = await this.ingestor.ignoreBeforeStart(
      state,
      orders.filter((o) => !isOnOrAfterStart(o.date_created, settings.orderStartDate)),
    );
    await run.setTotal(due.length);
    await run.flush();

    let pending = due;
    for (let round = 0; pending.length > 0; round++) {
      const deferred: JoorFeedOrder[] = [];
      for (let i = 0; i < pending.length; i += CHUNK) deferred.push(...(await this.ingestor.chunk(state, pending.slice(i, i + CHUNK))));
      if (deferred.length === 0 || round >= this.config.transientRounds) {
        state.tally.deferred = deferred.length;
        break;
      }
      // A pause of the connection ends this wait at once (the run stops at the next chunk's flush anyway).
      await systemClock.sleep(this.config.transientDelayMs * 2 ** round, run.signal);
      pending = deferred;
    }
    if (!onlyOrderId && !truncated) await this.exports.reconcile(state, new Set(orders.map((o) => o.order_id)));

    await run.details({
      ordersRead: orders.length,
      skippedBeforeStartDate: state.tally.skipped,
      newlyIgnored,
      deferred: state.tally.deferred,
      ...(truncated ? { truncated: `more than ${this.config.maxOrdersPerPoll} orders waiting: the rest follow at the next poll` } : {}),
      ...(onlyOrderId ? { joorOrderId: onlyOrderId } : {}),
    });
    if (state.tally.deferred > 0) {
      run.event({ level: 'warning', entityType: 'order', reason: `${state.tally.deferred} order(s) met transient failures and are left for the next poll (never marked Failed)` });
    }
    return state.tally.failed > 0 || state.tally.deferred > 0 ? 'partial' : 'succeeded';
  }
}
