import { hostname } from 'node:os';
import { CANARY_MAX_HOLD_MS, type CanaryPayload, type CanaryResult } from '@app/contracts';
import type { Job } from 'bullmq';
import { sleep } from '@app/util';

/** Answers the gateway's mesh probe; `holdMs` keeps the job active to observe draining. */
export async function handleCanary(job: Job<CanaryPayload>): Promise<CanaryResult> {
  const receivedAt = new Date().toISOString();
  const hold = Math.min(Math.max(job.data.holdMs ?? 0, 0), CANARY_MAX_HOLD_MS);
  if (hold > 0) await sleep(hold);
  return { probeId: job.data.probeId, receivedAt, finishedAt: new Date().toISOString(), consumer: `${hostname()}:${process.pid}` };
}
