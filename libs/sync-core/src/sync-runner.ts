import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import type { RunJobPayload, RunJobResult, RunStatus, RunTrigger, SyncKind } from '@app/contracts';
import type { BudgetPriority } from '@app/joor-budget';
import { AdvisoryLocks, ConnectionRepository, SyncRunRepository, type RunCounts, type RunEventInput } from '@app/persistence';
import { ConnectionClients, type ConnectionContext } from './connection-clients';
import { classifyRunError, unrecoverable } from './run-errors';

/** How a kind's runs behave; one per sync kind. */
export interface RunOptions<P extends RunJobPayload> {
  kind: SyncKind;
  /** The JOOR budget priority of the run's calls. */
  priority: BudgetPriority;
  /** The details of a run the handler opens itself (a scheduled or follow-up job has no run yet). */
  describe?: (payload: P) => Record<string, unknown>;
  /** How soon a manual or follow-up run that found another run of its connection going looks again. */
  busyRetryMs: number;
}

/** What a run's body gets: the connection's clients and one place to report to. */
export interface RunContext<P extends RunJobPayload> {
  readonly runId: string;
  readonly connectionId: string;
  readonly trigger: RunTrigger;
  readonly payload: P;
  readonly clients: ConnectionContext;
  /** Counts to add (per entity) and how many more of the total are done. */
  count(counts: RunCounts, done?: number): void;
  event(event: RunEventInput): void;
  /** How many error events the run has recorded. */
  readonly errors: number;
  setTotal(total: number | null): Promise<void>;
  details(details: Record<string, unknown>): Promise<void>;
  /** Writes what was counted, the events and the credits taken to the run, and the progress to the job. */
  flush(): Promise<void>;
}

/** What a body may say about its end; by default `partial` when anything failed, else `succeeded`. */
export type RunEnd = Extract<RunStatus, 'succeeded' | 'partial'> | void;

/** Why a run did not start: another run of its connection and kind is doing the work. */
const busyReason = (kind: SyncKind) => `another ${kind} sync of this connection is in progress`;

/**
 * The one way a sync job runs: it opens (or resumes) the job's run and records the job id, takes
 * the per-connection lock of its kind (a scheduled run that finds it taken is skipped, a manual one
 * waits), gives the body the connection's clients and a context to count, log events and report
 * progress through (to the run record and the BullMQ job), adds the JOOR credits the run's calls
 * took, classifies a failure (transient: the job retries, the run waits as `queued`; permanent or
 * the last attempt: the run ends `failed` with the reason) and finishes the run.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger(SyncRunner.name);

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly connections: ConnectionRepository,
    private readonly clients: ConnectionClients,
    private readonly locks: AdvisoryLocks,
  ) {}

  async run<P extends RunJobPayload>(job: Job<P, RunJobResult>, options: RunOptions<P>, body: (run: RunContext<P>) => Promise<RunEnd>): Promise<RunJobResult> {
    const { connectionId } = job.data;
    const trigger: RunTrigger = job.data.trigger ?? 'schedule';
    const runId = job.data.runId ?? (await this.open(job, options, trigger));
    const lock = await this.locks.tryAcquire(`sync:${options.kind}:${connectionId}`);
    if (!lock) return this.busy(job, runId, trigger, options);
    const report = new RunReport(this.runs, job, runId, connectionId);
    try {
      await this.runs.start(runId);
      const clients = await this.clients.forConnection(connectionId, options.priority);
      report.meter = clients.meter;
      const context: RunContext<P> = {
        runId,
        connectionId,
        trigger,
        payload: job.data,
        clients,
        count: (counts, done) => report.count(counts, done),
        event: (event) => report.event(event),
        get errors() {
          return report.errors;
        },
        setTotal: (total) => report.setTotal(total),
        details: (details) => this.runs.mergeDetails(runId, details),
        flush: () => report.flush(),
      };
      const end = await body(context);
      await report.flush();
      const status: RunStatus = end ?? (report.failed > 0 || report.errors > 0 ? 'partial' : 'succeeded');
      await this.runs.finish(runId, status);
      this.logger.log({ msg: 'run finished', kind: options.kind, runId, connectionId, status, credits: report.credits });
      return { runId, status };
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      await report.flush().catch(() => undefined);
      throw await this.failed(job, runId, err);
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  /** A job without a run (scheduled, follow-up): its run, opened once; a retry of the job finds the id in its data. */
  private async open<P extends RunJobPayload>(job: Job<P, RunJobResult>, options: RunOptions<P>, trigger: RunTrigger): Promise<string> {
    const { connectionId, causedBy } = job.data;
    if (!(await this.connections.findById(connectionId))) throw unrecoverable(`connection ${connectionId} does not exist (deleted?)`, null);
    const details = { ...(options.describe?.(job.data) ?? {}), ...(causedBy ? { causedBy } : {}) };
    const run = await this.runs.queue(connectionId, options.kind, trigger, details);
    await job.updateData({ ...job.data, runId: run.id });
    if (job.id) await this.runs.setJobId(run.id, job.id);
    return run.id;
  }

  /**
   * Another run of this connection and kind holds the lock. A scheduled run is skipped (the next one
   * comes soon and the running one covers its changes); a manual or follow-up run waits its turn
   * without holding a worker slot (the job goes back to delayed, no attempt used).
   */
  private async busy<P extends RunJobPayload>(job: Job<P, RunJobResult>, runId: string, trigger: RunTrigger, options: RunOptions<P>): Promise<RunJobResult> {
    const reason = busyReason(options.kind);
    if (trigger === 'schedule') {
      await this.runs.event(runId, job.data.connectionId, { level: 'info', reason: `skipped: ${reason}` });
      await this.runs.mergeDetails(runId, { skipped: reason });
      await this.runs.finish(runId, 'succeeded');
      return { runId, status: 'succeeded' };
    }
    await this.runs.mergeDetails(runId, { waiting: reason });
    await job.moveToDelayed(Date.now() + options.busyRetryMs, job.token);
    throw new DelayedError();
  }

  /** Records a failed attempt and answers the error to throw: the run waits for the retry, or ends `failed`. */
  private async failed<P extends RunJobPayload>(job: Job<P, RunJobResult>, runId: string, err: unknown): Promise<unknown> {
    const { permanent, reason } = classifyRunError(err);
    const attempts = job.opts.attempts ?? 1;
    if (!permanent && job.attemptsMade + 1 < attempts) {
      await this.runs.requeue(runId, `attempt ${job.attemptsMade + 1} of ${attempts} failed, will retry: ${reason}`).catch(() => undefined);
      return err;
    }
    this.logger.warn({ msg: `run failed: ${reason}`, runId, connectionId: job.data.connectionId, permanent });
    await this.runs.event(runId, job.data.connectionId, { level: 'error', reason: `The run failed: ${reason}` }).catch(() => undefined);
    await this.runs.finish(runId, 'failed', reason).catch(() => undefined);
    return permanent ? unrecoverable(reason, err) : err;
  }
}

/** What a run has counted and logged since its last flush, and the credits its calls have taken. */
class RunReport {
  meter: { take(): number } | null = null;
  errors = 0;
  failed = 0;
  private counts: Required<RunCounts> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  private done = 0;
  private doneTotal = 0;
  private total: number | null = null;
  credits = 0;
  private readonly events: RunEventInput[] = [];

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly job: Job,
    private readonly runId: string,
    private readonly connectionId: string,
  ) {}

  count(counts: RunCounts, done = 0): void {
    for (const key of Object.keys(this.counts) as Array<keyof RunCounts>) this.counts[key] += counts[key] ?? 0;
    this.failed += counts.failed ?? 0;
    this.done += done;
  }

  event(event: RunEventInput): void {
    if (event.level === 'error') this.errors++;
    this.events.push(event);
  }

  async setTotal(total: number | null): Promise<void> {
    this.total = total;
    await this.runs.setTotal(this.runId, total);
  }

  async flush(): Promise<void> {
    const credits = this.meter?.take() ?? 0;
    this.credits += credits;
    const counts = this.counts;
    const done = this.done;
    this.counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    this.done = 0;
    this.doneTotal += done;
    if (credits > 0 || done > 0 || Object.values(counts).some((n) => n > 0)) await this.runs.add(this.runId, counts, credits, done);
    await this.runs.events(this.runId, this.connectionId, this.events.splice(0, this.events.length));
    await this.job.updateProgress({ done: this.doneTotal, total: this.total, credits: this.credits }).catch(() => undefined);
  }
}
