import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CANARY_JOB, QUEUE_SERVICE, SYNC_QUEUE_NAMES, jobIds, type CanaryResult, type QueueName } from '@app/contracts';
import { APP_CONFIG, JobProducer, type AppConfig } from '@app/common';
import { sleep, withTimeout } from '@app/util';

export interface ServiceProbe {
  service: string;
  queue: QueueName;
  status: 'up' | 'down';
  /** Redis connections of workers on the queue, as Redis sees them (null when Redis did not answer). */
  workerConnections: number | null;
  roundTripMs?: number;
  consumer?: string;
  reason?: string;
}

export interface MeshReport {
  status: 'ok' | 'degraded';
  checkedAt: string;
  services: ServiceProbe[];
}

const POLL_MS = 20;
/** Probes arriving this soon after one share its answer, so the public route cannot flood the queues. */
const REUSE_MS = 2_000;

/** Sends a canary job to every sync queue and reports, per service, whether a worker consumed it and how fast. */
@Injectable()
export class MeshService {
  private inflight: Promise<MeshReport> | null = null;
  private last: { at: number; report: MeshReport } | null = null;

  constructor(
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  probe(): Promise<MeshReport> {
    if (this.last && Date.now() - this.last.at < REUSE_MS) return Promise.resolve(this.last.report);
    if (!this.inflight) {
      this.inflight = this.probeAll().finally(() => (this.inflight = null));
    }
    return this.inflight;
  }

  private async probeAll(): Promise<MeshReport> {
    const services = await Promise.all(SYNC_QUEUE_NAMES.map((queue) => this.probeQueue(queue)));
    const report: MeshReport = {
      status: services.every((s) => s.status === 'up') ? 'ok' : 'degraded',
      checkedAt: new Date().toISOString(),
      services,
    };
    this.last = { at: Date.now(), report };
    return report;
  }

  private async probeQueue(queue: QueueName): Promise<ServiceProbe> {
    const timeoutMs = this.config.gateway.meshTimeoutMs;
    const base = { service: QUEUE_SERVICE[queue], queue };
    const bullQueue = this.producer.queue(queue);
    const workers = await withTimeout(bullQueue.getWorkersCount(), this.config.healthTimeoutMs, 'redis').catch(() => null);
    const probeId = randomUUID();
    const started = performance.now();
    let jobId: string;
    try {
      const job = await withTimeout(
        this.producer.add(queue, CANARY_JOB, { probeId, sentAt: new Date().toISOString() }, { jobId: jobIds.canary(queue, probeId) }),
        this.config.healthTimeoutMs,
        'redis',
      );
      jobId = job.id as string;
    } catch (err) {
      return { ...base, status: 'down', workerConnections: workers, reason: `could not enqueue the canary: ${(err as Error).message}` };
    }
    const deadline = started + timeoutMs;
    while (performance.now() < deadline) {
      const job = await bullQueue.getJob(jobId).catch(() => undefined);
      if (job?.finishedOn) {
        const roundTripMs = Math.round(performance.now() - started);
        if (job.failedReason) return { ...base, status: 'down', workerConnections: workers, roundTripMs, reason: `canary failed: ${job.failedReason}` };
        const result = job.returnvalue as CanaryResult;
        return { ...base, status: 'up', workerConnections: workers, roundTripMs, consumer: result?.consumer };
      }
      await sleep(POLL_MS);
    }
    await bullQueue.remove(jobId).catch(() => undefined);
    const reason = workers === 0 ? `no worker is connected to ${queue}` : `no worker consumed the canary within ${timeoutMs} ms`;
    return { ...base, status: 'down', workerConnections: workers, reason };
  }
}
