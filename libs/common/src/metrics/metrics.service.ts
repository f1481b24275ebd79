import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { withTimeout } from '@app/util';
import { SyncMetrics } from './sync-metrics';

export const METRICS_QUEUES = Symbol('METRICS_QUEUES');

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Prometheus metrics of one service. The registry is the service's own (not prom-client's global
 * one) so several apps can live in one process, as they do in the e2e tests.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly jobDuration: Histogram<'queue' | 'name' | 'outcome'>;
  /** Runs, JOOR credits and budget, order poll lag and inventory cursor age, per connection. */
  readonly sync: SyncMetrics;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(METRICS_QUEUES) queueNames: string[], moduleRef: ModuleRef) {
    this.registry.setDefaultLabels({ service: config.service });
    collectDefaultMetrics({ register: this.registry });
    this.jobDuration = new Histogram({
      name: 'amcjoor_job_duration_seconds',
      help: 'Time from a job starting to finishing, by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers: [this.registry],
    });
    this.sync = new SyncMetrics(this.registry, config.healthTimeoutMs);
    if (queueNames.length > 0) {
      // Resolved at scrape time: the queue providers may not exist yet while this one is constructed.
      const queues = () => queueNames.map((name) => moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
      const timeoutMs = config.healthTimeoutMs;
      new Gauge({
        name: 'amcjoor_queue_jobs',
        help: 'Jobs in each queue by state',
        labelNames: ['queue', 'state'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const queue of queues()) {
            try {
              const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), timeoutMs, 'redis');
              for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
            } catch {
              // Redis unreachable: leave the series out rather than report a false zero.
            }
          }
        },
      });
    }
  }

  observeJob(queue: string, name: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.jobDuration.observe({ queue, name, outcome }, seconds);
  }
}
