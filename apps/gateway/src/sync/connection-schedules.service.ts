import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SYNC_KIND_JOBS, jobIds, jobOptionsFor, type AvailableSyncKind, type ConnectionSettings, type QueueName } from '@app/contracts';
import { JobProducer } from '@app/common';

/** Milliseconds per scheduled "minute": tests shorten it to see a schedule fire by itself. */
export const SCHEDULE_MINUTE_MS = Symbol('SCHEDULE_MINUTE_MS');

/** Which setting sets each scheduled kind's interval, in minutes. */
const SCHEDULED_KINDS: Array<{ kind: AvailableSyncKind; everyMinutes: (s: ConnectionSettings) => number }> = [
  { kind: 'styles', everyMinutes: (s) => s.catalogSyncMinutes },
  { kind: 'orders', everyMinutes: (s) => s.orderPollMinutes },
];

/**
 * The repeating jobs of each connection, as BullMQ job schedulers: upserted when a connection is
 * created or its intervals change, removed with it. A scheduler id is unique per kind and
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
    for (const { kind, everyMinutes } of SCHEDULED_KINDS) {
      const { queue, job } = SYNC_KIND_JOBS[kind];
      const every = everyMinutes(settings) * this.minuteMs;
      const { attempts, backoff, removeOnComplete, removeOnFail } = jobOptionsFor(queue as QueueName, job as never);
      await this.producer
        .queue(queue)
        .upsertJobScheduler(jobIds.schedule(kind, connectionId), { every }, { name: job, data: { connectionId, trigger: 'schedule' }, opts: { attempts, backoff, removeOnComplete, removeOnFail } });
    }
    this.logger.log({ msg: 'schedules set', connectionId, catalogSyncMinutes: settings.catalogSyncMinutes, orderPollMinutes: settings.orderPollMinutes });
  }

  async remove(connectionId: string): Promise<void> {
    for (const { kind } of SCHEDULED_KINDS) {
      await this.producer.queue(SYNC_KIND_JOBS[kind].queue).removeJobScheduler(jobIds.schedule(kind, connectionId));
    }
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
