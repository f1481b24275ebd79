import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SYNC_KIND_JOBS, jobIds, type AvailableSyncKind, type ConnectionSettings } from '@app/contracts';
import { JobProducer } from '@app/common';

/** Milliseconds per scheduled "minute": tests shorten it to see a schedule fire by itself. */
export const SCHEDULE_MINUTE_MS = Symbol('SCHEDULE_MINUTE_MS');

/** The kinds with a schedule of their own: images follow the catalog runs (their follow-ups), so they have none. */
type ScheduledKind = Exclude<AvailableSyncKind, 'images'>;

/** Which setting sets each scheduled kind's interval, in (scheduled) minutes. */
const SCHEDULED_KINDS: Array<{ kind: ScheduledKind; everyMinutes: (s: ConnectionSettings) => number }> = [
  { kind: 'styles', everyMinutes: (s) => s.catalogSyncMinutes },
  { kind: 'orders', everyMinutes: (s) => s.orderPollMinutes },
  { kind: 'inventory', everyMinutes: (s) => s.inventoryPollSeconds / 60 },
  { kind: 'customers', everyMinutes: (s) => s.customerSyncMinutes },
];

/**
 * The repeating jobs of each connection, as BullMQ job schedulers: upserted when a connection is
 * created or its intervals change (unless it is paused), removed when it is paused or deleted, set
 * again when it is resumed. A scheduler id is unique per kind and
 * connection, so however many gateways or workers run, there is one schedule.
 */
@Injectable()
export class ConnectionSchedules {
  private readonly logger = new Logger(ConnectionSchedules.name);

  private readonly minuteMs: number;

  constructor(
    private readonly producer: JobProducer,
    @Optional() @Inject(SCHEDULE_MINUTE_MS) minuteMs?: number,
  ) {
    this.minuteMs = minuteMs ?? 60_000;
  }

  async upsert(connectionId: string, settings: ConnectionSettings): Promise<void> {
    for (const { kind } of SCHEDULED_KINDS) await this.upsertKind(kind, connectionId, settings);
    this.logger.log({
      msg: 'schedules set',
      connectionId,
      catalogSyncMinutes: settings.catalogSyncMinutes,
      orderPollMinutes: settings.orderPollMinutes,
      inventoryPollSeconds: settings.inventoryPollSeconds,
      customerSyncMinutes: settings.customerSyncMinutes,
    });
  }

  /**
   * The schedules of a resumed connection: each one that is missing (or set to another interval) is
   * set again. A BullMQ job scheduler with `every` fires at once when it is set, so the work a pause
   * stopped goes on right away (the catalog's delta from its cursor; the order ledger makes a re-read
   * harmless); one that is there already is left alone, so a repeated resume fires nothing.
   */
  async ensure(connectionId: string, settings: ConnectionSettings): Promise<void> {
    for (const { kind, everyMinutes } of SCHEDULED_KINDS) {
      const scheduler = await this.producer.queue(SYNC_KIND_JOBS[kind].queue).getJobScheduler(jobIds.schedule(kind, connectionId));
      if (!scheduler || Number(scheduler.every) !== everyMinutes(settings) * this.minuteMs) await this.upsertKind(kind, connectionId, settings);
    }
  }

  private async upsertKind(kind: ScheduledKind, connectionId: string, settings: ConnectionSettings): Promise<void> {
    const every = SCHEDULED_KINDS.find((s) => s.kind === kind)!.everyMinutes(settings) * this.minuteMs;
    const schedulerId = jobIds.schedule(kind, connectionId);
    const payload = { connectionId, trigger: 'schedule' as const };
    // One case per kind, so each scheduler is typed by its own job's contract.
    switch (kind) {
      case 'styles':
        await this.producer.upsertScheduler(SYNC_KIND_JOBS.styles.queue, SYNC_KIND_JOBS.styles.job, schedulerId, every, payload);
        break;
      case 'orders':
        await this.producer.upsertScheduler(SYNC_KIND_JOBS.orders.queue, SYNC_KIND_JOBS.orders.job, schedulerId, every, payload);
        break;
      case 'inventory':
        await this.producer.upsertScheduler(SYNC_KIND_JOBS.inventory.queue, SYNC_KIND_JOBS.inventory.job, schedulerId, every, payload);
        break;
      case 'customers':
        await this.producer.upsertScheduler(SYNC_KIND_JOBS.customers.queue, SYNC_KIND_JOBS.customers.job, schedulerId, every, payload);
        break;
      default:
        throw new Error(`no schedule for ${kind satisfies never}`);
    }
  }

  async remove(connectionId: string): Promise<void> {
    for (const { kind } of SCHEDULED_KINDS) await this.producer.removeScheduler(SYNC_KIND_JOBS[kind].queue, jobIds.schedule(kind, connectionId));
  }

  /** The next run of each scheduled kind, for the API. */
  async describe(connectionId: string): Promise<Record<string, { everyMs: number | null; next: string | null }>> {
    const out: Record<string, { everyMs: number | null; next: string | null }> = {};
    for (const { kind } of SCHEDULED_KINDS) {
      const scheduler = await this.producer.queue(SYNC_KIND_JOBS[kind].queue).getJobScheduler(jobIds.schedule(kind, connectionId));
      out[kind] = { everyMs: scheduler?.every ? Number(scheduler.every) : null, next: scheduler?.next ? new Date(scheduler.next).toISOString() : null };
    }
    return out;
  }
}
