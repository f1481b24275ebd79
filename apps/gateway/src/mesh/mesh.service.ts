import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CANARY_JOB, CANARY_QUEUES, QUEUE_SERVICE, SYNC_QUEUE_NAMES, jobIds, type QueueName } from '@app/contracts';
import { APP_CONFIG, JobProducer, type AppConfig } from '@app/common';
import { sleep, withTimeout } from '@app/util';

export interface ServiceProbe {
  service: string;
  queue: QueueName;
  status: 'up' | 'down';
  /** Redis connections of workers on the service's sync queue, as Redis sees them (null when Redis did not answer). */
  workerConnections: number | null;
  /** From sending the canary to seeing it answered. */
  roundTripMs?: number;
  reason?: string;
}

export interface MeshReport {
  /** `unknown`: no probe has finished yet (GET before the first one). */
  status: 'ok' | 'degraded' | 'unknown';
  checkedAt: string | null;
  services: ServiceProbe[];
}

const POLL_MS = 20;

/**
 * Probes every sync service: sends a canary job to the service's canary queue (which a worker of its
 * own consumes, so long sync jobs do not delay it) and reports, per service, whether it was consumed
 * and how fast, and whether a worker is connected to the service's sync queue.
 *
 * Only `probe()` enqueues (the API-key route and the gateway's own timer, every
 * MESH_PROBE_INTERVAL_MS); the public route reads `last()`. Concurrent probes share one run.
 */
@Injectable()
export class MeshService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MeshService.name);
  private inflight: Promise<MeshReport> | null = null;
  private latest: MeshReport | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.gateway.meshProbeIntervalMs;
    if (intervalMs <= 0) return;
    const tick = () => {
      this.probe()
        .catch((err: Error) => this.logger.warn({ msg: `mesh probe failed: ${err.message}` }))
        .finally(() => {
          if (!this.closing) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    // A probe in flight stops polling at once (closing) and removes its canaries before the queues close.
    await this.inflight?.catch(() => undefined);
  }

  /** The last finished probe's report; never enqueues. */
  last(): MeshReport {
    return this.latest ?? { status: 'unknown', checkedAt: null, services: [] };
  }

  /** Probes now (or joins the probe in flight). */
  probe(): Promise<MeshReport> {
    if (!this.inflight) this.inflight = this.probeAll().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async probeAll(): Promise<MeshReport> {
    const services = await Promise.all(SYNC_QUEUE_NAMES.map((queue) => this.probeService(queue)));
    const report: MeshReport = {
      status: services.every((s) => s.status === 'up') ? 'ok' : 'degraded',
      checkedAt: new Date().toISOString(),
      services,
    };
    if (!this.closing) this.latest = report;
    return report;
  }

  private async probeService(queue: QueueName): Promise<ServiceProbe> {
    const timeoutMs = this.config.gateway.meshTimeoutMs;
    const base = { service: QUEUE_SERVICE[queue], queue };
    const canaryQueue = CANARY_QUEUES[queue];
    const workers = await withTimeout(this.producer.queue(queue).getWorkersCount(), this.config.healthTimeoutMs, 'redis').catch(() => null);
    const probeId = randomUUID();
    const started = performance.now();
    let jobId: string;
    try {
      const job = await withTimeout(
        this.producer.add(canaryQueue, CANARY_JOB, { probeId, sentAt: new Date().toISOString() }, { jobId: jobIds.canary(canaryQueue, probeId) }),
        this.config.healthTimeoutMs,
        'redis',
      );
      jobId = job.id as string;
    } catch (err) {
      return { ...base, status: 'down', workerConnections: workers, reason: `could not enqueue the canary: ${(err as Error).message}` };
    }
    const bullQueue = this.producer.queue(canaryQueue);
    const deadline = started + timeoutMs;
    while (performance.now() < deadline && !this.closing) {
      const job = await bullQueue.getJob(jobId).catch(() => undefined);
      if (job?.finishedOn) {
        const roundTripMs = Math.round(performance.now() - started);
        if (job.failedReason) return { ...base, status: 'down', workerConnections: workers, roundTripMs, reason: `canary failed: ${job.failedReason}` };
        if (workers === 0) return { ...base, status: 'down', workerConnections: workers, roundTripMs, reason: `the service answered its canary but no worker is connected to ${queue}` };
        return { ...base, status: 'up', workerConnections: workers, roundTripMs };
      }
      await sleep(POLL_MS);
    }
    await bullQueue.remove(jobId).catch(() => undefined);
    const reason = workers === 0 ? `no worker is connected to ${queue}` : `no worker consumed the canary on ${canaryQueue} within ${timeoutMs} ms`;
    return { ...base, status: 'down', workerConnections: workers, reason };
  }
}
