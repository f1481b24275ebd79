import { jobIds } from './job-ids';
import { runJobDefinition, type RunJobDefinitionOf, type RunJobName, type RunJobPayloadOf } from './jobs';

/**
 * How long follow-up requests coalesce. A run that touches a thousand styles asks a thousand times
 * for its images to follow; all the requests of one window become one job, which starts when the
 * window ends (so none arrives after it started and is lost). 30 s: images and stock follow a style
 * change within a minute, and a long run makes at most one follow-up per target every 30 s.
 */
export const FOLLOW_UP_WINDOW_MS = 30_000;

/** What a follow-up job carries beyond what every run job has (connection, trigger, cause). */
export type FollowUpPayload<N extends RunJobName> = Omit<RunJobPayloadOf<N>, 'connectionId' | 'runId' | 'trigger' | 'causedBy'>;

export interface FollowUpJob<N extends RunJobName> {
  queue: RunJobDefinitionOf<N>['queue'];
  name: N;
  payload: RunJobPayloadOf<N>;
  jobId: string;
  /** Until the window ends. */
  delay: number;
}

/**
 * The job that a follow-up request becomes. The coalescing rule: one job per (target job,
 * connection, causing run, window of `windowMs` counted from the epoch); every request of that
 * window maps to the same job id, so BullMQ keeps the first and ignores the rest, and the job is
 * delayed to the window's end. A run lasting T therefore causes at most ceil(T / windowMs) + 1 jobs
 * per target and connection, whatever number of entities it touched. Because the first request's
 * payload is the one kept, a follow-up says what to do for the connection, never for which entities:
 * the target finds those itself (its cursor, its due marks).
 */
export function followUpJob<N extends RunJobName>(target: N, connectionId: string, causedBy: string, payload: FollowUpPayload<N>, now: number, windowMs: number = FOLLOW_UP_WINDOW_MS): FollowUpJob<N> {
  if (!(windowMs > 0)) throw new Error(`a follow-up window must be positive (got ${windowMs})`);
  const definition = runJobDefinition(target);
  const window = Math.floor(now / windowMs);
  return {
    queue: definition.queue as RunJobDefinitionOf<N>['queue'],
    name: target,
    payload: { ...payload, connectionId, trigger: 'follow-up', causedBy } as RunJobPayloadOf<N>,
    jobId: jobIds.followUp(target, connectionId, causedBy, window),
    delay: (window + 1) * windowMs - now,
  };
}
