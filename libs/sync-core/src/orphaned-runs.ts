import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { RUN_JOBS, type QueueName, type SyncKind } from '@app/contracts';
import { SyncRunRepository } from '@app/persistence';

/** How long a run must have been queued before its job can be missing for a reason other than "not added yet". */
export const ORPHAN_GRACE_MS = 120_000;
/** Job states in which the job will still end its run by itself. */
const LIVE_STATES = new Set(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized']);

/**
 * Ends the runs whose job can no longer end them: the job failed without the runner recording it
 * (BullMQ fails a job that stalled more than allowed, e.g. a service killed twice while running it,
 * without calling the processor), or the job is gone (Redis lost it). Without this such a run shows
 * `queued` or `running` for ever. Each sync service sweeps the runs of its own queue's kinds, every
 * two lock periods (WORKER_LOCK_MS).
 */
@Injectable()
export class OrphanedRuns implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrphanedRuns.name);
  private readonly kinds: SyncKind[];
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly queue: Queue,
    private readonly everyMs: number,
    private readonly graceMs = ORPHAN_GRACE_MS,
  ) {
    this.kinds = RUN_JOBS.filter((job) => job.queue === (queue.name as QueueName)).map((job) => job.kind);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.everyMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look; answers the runs it ended. A store that does not answer is left for the next look. */
  async sweep(): Promise<string[]> {
    if (this.sweeping) return [];
    this.sweeping = true;
    try {
      const ended: string[] = [];
      for (const run of await this.runs.openWithJob(this.kinds, this.graceMs)) {
        const state = await this.queue.getJobState(run.jobId);
        if (LIVE_STATES.has(state)) continue;
        const why = state === 'unknown' ? 'its job is gone from the queue' : `its job ended ${state} without the run recording it (the worker died more times than BullMQ retries a stalled job)`;
        if (await this.runs.endOrphaned(run.id, run.connectionId, `orphaned: ${why}`)) ended.push(run.id);
      }
      if (ended.length > 0) this.logger.warn({ msg: `ended ${ended.length} orphaned run(s)`, runIds: ended, queue: this.queue.name });
      return ended;
    } catch (err) {
      this.logger.debug({ msg: `orphaned-run sweep skipped: ${(err as Error).message}`, queue: this.queue.name });
      return [];
    } finally {
      this.sweeping = false;
    }
  }
}
