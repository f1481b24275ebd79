import { Inject, Injectable, Optional } from '@nestjs/common';
import { FOLLOW_UP_WINDOW_MS, followUpJob, type FollowUpPayload, type RunJobName } from '@app/contracts';
import { JobProducer } from '@app/common';

/** Overrides FOLLOW_UP_WINDOW_MS (tests). */
export const FOLLOW_UP_WINDOW = Symbol('FOLLOW_UP_WINDOW');

/**
 * How a sync service enqueues another service's job because of its own work (a style upsert asks
 * for the style's images and stock): typed by the target job's contract, with trigger `follow-up`
 * and `causedBy` (the causing run) in the payload; the run the target opens records both.
 *
 * Requests coalesce: one job per (target job, connection, causing run, FOLLOW_UP_WINDOW_MS window),
 * delayed to the end of its window; the requests after the first in a window are no-ops (the same
 * deterministic job id). So a run that touches a thousand styles causes a handful of follow-ups per
 * target and connection, not a thousand, and none is lost to a job that already started. The first
 * request's payload wins: ask for work on the connection, not for entities (see `followUpJob`).
 */
@Injectable()
export class FollowUps {
  private readonly windowMs: number;

  constructor(
    private readonly producer: JobProducer,
    @Optional() @Inject(FOLLOW_UP_WINDOW) windowMs?: number,
  ) {
    this.windowMs = windowMs ?? FOLLOW_UP_WINDOW_MS;
  }

  /** Enqueues (or joins) the follow-up job; answers its id. */
  async request<N extends RunJobName>(target: N, connectionId: string, causedBy: string, payload: FollowUpPayload<N> = {} as FollowUpPayload<N>): Promise<string> {
    const job = followUpJob(target, connectionId, causedBy, payload, Date.now(), this.windowMs);
    // followUpJob typed the payload by the target's contract; TypeScript cannot carry N's queue through `add`'s generics.
    await this.producer.add(job.queue, job.name as never, job.payload as never, { jobId: job.jobId, delay: job.delay });
    return job.jobId;
  }
}
