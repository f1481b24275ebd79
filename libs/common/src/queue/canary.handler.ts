import { CANARY_MAX_HOLD_MS, type CanaryPayload, type CanaryResult } from '@app/contracts';
import type { Job } from 'bullmq';
import { sleep } from '@app/util';

/**
 * Answers a canary. On a sync queue `holdMs` keeps the job active (the tests use it to keep a sync
 * worker busy or to observe draining); the canary queue's worker passes `{ hold: false }`, so no one
 * can park the one slot the mesh probe relies on.
 */
export async function handleCanary(job: Job<CanaryPayload>, options: { hold?: boolean } = {}): Promise<CanaryResult> {
  const receivedAt = new Date().toISOString();
  const hold = options.hold === false ? 0 : Math.min(Math.max(job.data.holdMs ?? 0, 0), CANARY_MAX_HOLD_MS);
  if (hold > 0) await sleep(hold);
  return { probeId: job.data.probeId, receivedAt, finishedAt: new Date().toISOString() };
}
