import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { CANCEL_REASONS, type CancelReason, type FinalRunStatus, type RunCountsView, type RunJobPayload, type RunJobResult, type RunStatus, type RunTrigger, type SyncKind } from '@app/contracts';
import { MeshEvents, MetricsService, outages, withLogContext } from '@app/common';
import type { BudgetPriority } from '@app/joor-budget';
import { annotateSpan, SPAN_ATTRIBUTES } from '@app/tracing';
import { AdvisoryLocks, SyncRunRepository, type RunCounts, type RunEventInput } from '@app/persistence';
import { ConnectionClients, type ConnectionContext } from './connection-clients';
import { RunCancellation, type RunStop } from './run-cancellation';
import { classifyRunError, isStoreUnreachable, RunCancelled, unrecoverable } from './run-errors';

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

/** A run's options from its job's definition (kind and budget priority live there, once). */
export function runOptionsOf<P extends RunJobPayload>(job: { kind: SyncKind; priority: BudgetPriority }, busyRetryMs: number, describe?: (payload: P) => Record<string, unknown>): RunOptions<P> {
  return { kind: job.kind, priority: job.priority, busyRetryMs, ...(describe ? { describe } : {}) };
}

/** The scope a styles-based run (catalog, stock, images) records: full, or the named styles. */
export function describeStyleScope<P extends RunJobPayload & { full?: boolean; styleNumbers?: string[] }>(payload: P): Record<string, unknown> {
  return { full: payload.full ?? false, styleNumbers: payload.styleNumbers ?? null };
}

/** What a run's body gets: the connection's clients and one place to report to. */
export interface RunContext<P extends RunJobPayload> {
  readonly runId: string;
  readonly connectionId: string;
  readonly trigger: RunTrigger;
  readonly payload: P;
  readonly clients: ConnectionContext;
  /**
   * Aborts when the run must stop (its connection was paused or deleted), with a RunCancelled as
   * its reason: a long wait inside a batch takes it (the JOOR client's waits already do).
   */
  readonly signal: AbortSignal;
  /** Counts to add (per entity) and how many more of the total are done. */
  count(counts: RunCounts, done?: number): void;
  event(event: RunEventInput): void;
  /** How many error events the run has recorded. */
  readonly errors: number;
  setTotal(total: number | null): Promise<void>;
  details(details: Record<string, unknown>): Promise<void>;
  /**
   * A batch boundary: writes what was counted, the events and the credits taken to the run, the
   * progress to the job and to the mesh (`run.progress`), then throws RunCancelled when the run must
   * stop. Bodies call it between batches (a page of styles, a chunk of orders).
   */
  flush(): Promise<void>;
  /** A batch boundary with nothing to write: throws RunCancelled when the run must stop. */
  checkpoint(): Promise<void>;
}

/** What a body may say about its end; by default `partial` when anything failed, else `succeeded`. */
export type RunEnd = Extract<RunStatus, 'succeeded' | 'partial'> | void;

/** Why a run did not start: another run of its connection and kind is doing the work. */
const busyReason = (kind: SyncKind) => `another ${kind} sync of this connection is in progress`;

/**
 * How soon a job of a paused connection looks again by itself. Resuming the connection promotes its
 * waiting jobs at once; this is the fallback when that did not reach them.
 */
export const PAUSED_RETRY_MS = 30_000;
/** How long a job waits for PostgreSQL to come back before its attempt counts as failed. */
export const STORE_WAIT_MS = 10 * 60_000;
const STORE_PING_MS = 1_000;

/**
 * The one way a sync job runs: it opens (or resumes) the job's run and records the job id, waits
 * while the connection is paused, takes the per-connection lock of its kind (a scheduled run that
 * finds it taken is skipped, a manual one waits), gives the body the connection's clients and a
 * context to count, log events and report progress through (to the run record, the BullMQ job and
 * the mesh's run events), adds the JOOR credits the run's calls took, stops the run at a batch
 * boundary when its connection is paused or deleted (`cancelled`, what it did kept), classifies a
 * failure (transient: the job retries, the run waits as `queued`; permanent or the last attempt: the
 * run ends `failed` with the reason) and finishes the run.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger(SyncRunner.name);

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly clients: ConnectionClients,
    private readonly locks: AdvisoryLocks,
    private readonly cancellation: RunCancellation,
    private readonly events: MeshEvents,
    private readonly metrics: MetricsService,
  ) {}

  async run<P extends RunJobPayload>(job: Job<P, RunJobResult>, options: RunOptions<P>, body: (run: RunContext<P>) => Promise<RunEnd>): Promise<RunJobResult> {
    // Every line logged while the job runs (here, in the body, in the clients) says which job it is.
    const context = { connectionId: job.data.connectionId, runId: job.data.runId, jobId: job.id, queue: job.queueName, jobName: job.name, requestId: job.data.requestId };
    annotateSpan({ [SPAN_ATTRIBUTES.connectionId]: job.data.connectionId, [SPAN_ATTRIBUTES.kind]: options.kind, ...(job.data.runId ? { [SPAN_ATTRIBUTES.runId]: job.data.runId } : {}) });
    return withLogContext(context, async () => {
      try {
        return await this.runOnce(job, options, body);
      } catch (err) {
        // Only an outage that is still on: a network error of AMC's or JOOR's that slipped through their
        // clients looks the same, and must use its attempts like any other failure.
        if (err instanceof DelayedError || !isStoreUnreachable(err) || (await this.runs.ping())) throw err;
        return await this.afterOutage(job, options.kind, err);
      }
    });
  }

  /**
   * PostgreSQL went away under the run. Retrying at once would spend the job's attempts in seconds
   * and leave its run marked `running` for ever (nothing can record its end while the store is
   * down), so the job holds on until PostgreSQL answers again (at most STORE_WAIT_MS), then goes
   * back to the queue without using an attempt; its run resumes from what it recorded.
   */
  private async afterOutage(job: Job, kind: SyncKind, err: unknown): Promise<never> {
    // The outage itself is logged once per process (`outages`); this job's part in it, at debug.
    outages.failed('PostgreSQL', err);
    this.logger.debug({ msg: `PostgreSQL unreachable during a ${kind} run; the job waits for it`, error: (err as Error).message });
    const until = Date.now() + STORE_WAIT_MS;
    while (!(await this.runs.ping())) {
      if (Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, STORE_PING_MS));
    }
    outages.recovered('PostgreSQL');
    await job.moveToDelayed(Date.now() + STORE_PING_MS, job.token);
    throw new DelayedError();
  }

  private async runOnce<P extends RunJobPayload>(job: Job<P, RunJobResult>, options: RunOptions<P>, body: (run: RunContext<P>) => Promise<RunEnd>): Promise<RunJobResult> {
    const trigger: RunTrigger = job.data.trigger ?? 'schedule';
    const runId = job.data.runId ?? (await this.open(job, options, trigger));
    annotateSpan({ [SPAN_ATTRIBUTES.runId]: runId });
    return withLogContext({ runId }, () => this.runAs(job, options, body, runId, trigger));
  }

  private async runAs<P extends RunJobPayload>(
    job: Job<P, RunJobResult>,
    options: RunOptions<P>,
    body: (run: RunContext<P>) => Promise<RunEnd>,
    runId: string,
    trigger: RunTrigger,
  ): Promise<RunJobResult> {
    const { connectionId } = job.data;
    const base = { runId, connectionId, kind: options.kind };
    // Watched from before the look at the connection's row, so a pause in between is not missed.
    const stop = this.cancellation.watch(runId, connectionId);
    try {
      const state = await this.cancellation.state(connectionId);
      if (state === 'deleted') return await this.gone(base);
      if (state === 'paused') return await this.waitWhilePaused(job, base);
      const lock = await this.locks.tryAcquire(`sync:${options.kind}:${connectionId}`);
      if (!lock) return await this.busy(job, base, trigger, options.busyRetryMs);
      const report = new RunReport(this.runs, job, base, this.events, this.metrics);
      try {
        // Holding the kind's lock, no other run of it can be running: one still marked so was cut off.
        const interrupted = await this.runs.endInterrupted(connectionId, options.kind, runId);
        if (interrupted.length > 0) this.logger.warn({ msg: `ended ${interrupted.length} interrupted ${options.kind} run(s)`, runIds: interrupted, connectionId });
        report.creditsBefore = (await this.runs.start(runId)).creditsSpent;
        this.events.emit('run.started', { ...base, trigger, at: now() });
        this.logger.log({ msg: `${options.kind} run started`, kind: options.kind, trigger, attempt: job.attemptsMade + 1 });
        const clients = await this.clients.forConnection(connectionId, options.priority, { signal: stop.signal });
        report.meter = clients.meter;
        const context: RunContext<P> = {
          runId,
          connectionId,
          trigger,
          payload: job.data,
          clients,
          signal: stop.signal,
          count: (counts, done) => report.count(counts, done),
          event: (event) => report.event(event),
          get errors() {
            return report.errors;
          },
          setTotal: (total) => report.setTotal(total),
          details: (details) => this.runs.mergeDetails(runId, details),
          flush: async () => {
            await report.flush();
            await stop.checkpoint();
          },
          checkpoint: () => stop.checkpoint(),
        };
        const end = await body(context);
        await report.flush();
        const status: FinalRunStatus = end ?? (report.failed > 0 || report.errors > 0 ? 'partial' : 'succeeded');
        await this.runs.finish(runId, status);
        this.counted(base, status);
        this.events.emit('run.finished', { ...base, ...report.snapshot(), status, error: null, at: now() });
        this.logger.log({ msg: 'run finished', kind: options.kind, runId, connectionId, status, credits: report.credits });
        annotateSpan({ [SPAN_ATTRIBUTES.joorCredits]: report.credits, 'amcjoor.run_status': status });
        return { runId, status };
      } catch (err) {
        if (err instanceof DelayedError) throw err;
        await report.flush().catch(() => undefined);
        if (err instanceof RunCancelled || stop.signal.aborted) return await this.cancelled(job, options, trigger, report, cancelReason(err, stop));
        throw await this.failed(job, err, report);
      } finally {
        await lock.release().catch(() => undefined);
      }
    } finally {
      stop.release();
    }
  }

  /** A run that ended, in `amcjoor_runs_total` (a retried attempt is not an end; its run waits as `queued`). */
  private counted(base: RunBase, status: FinalRunStatus): void {
    this.metrics.sync.runFinished(base.kind, status, base.connectionId);
  }

  /** A job without a run (scheduled, follow-up): its run, opened once; a retry of the job finds the id in its data. */
  private async open<P extends RunJobPayload>(job: Job<P, RunJobResult>, options: RunOptions<P>, trigger: RunTrigger): Promise<string> {
    const { connectionId } = job.data;
    if ((await this.cancellation.state(connectionId)) === 'deleted') throw unrecoverable(`connection ${connectionId} does not exist (deleted?)`, null);
    const run = await this.runs.queue(connectionId, options.kind, trigger, describe(job.data, options));
    await job.updateData({ ...job.data, runId: run.id });
    if (job.id) await this.runs.setJobId(run.id, job.id);
    return run.id;
  }

  /**
   * Another run of this connection and kind holds the lock. A scheduled run is skipped (the next one
   * comes soon and the running one covers its changes); a manual or follow-up run waits its turn
   * without holding a worker slot (the job goes back to delayed, no attempt used).
   */
  private async busy<P extends RunJobPayload>(job: Job<P, RunJobResult>, base: RunBase, trigger: RunTrigger, busyRetryMs: number): Promise<RunJobResult> {
    const reason = busyReason(base.kind);
    if (trigger === 'schedule') {
      await this.runs.event(base.runId, base.connectionId, { level: 'info', reason: `skipped: ${reason}` });
      await this.runs.mergeDetails(base.runId, { skipped: reason });
      await this.runs.finish(base.runId, 'succeeded');
      this.counted(base, 'succeeded');
      this.events.emit('run.finished', { ...base, ...EMPTY_SNAPSHOT, status: 'succeeded', error: null, at: now() });
      return { runId: base.runId, status: 'succeeded' };
    }
    return this.wait(job, base, reason, busyRetryMs);
  }

  /**
   * The connection is paused: the job waits, its run `queued` with `details.waiting`, without holding a
   * worker slot or using an attempt. Resuming the connection promotes it; it looks again by itself
   * after PAUSED_RETRY_MS in case that did not reach it.
   */
  private async waitWhilePaused<P extends RunJobPayload>(job: Job<P, RunJobResult>, base: RunBase): Promise<never> {
    return this.wait(job, base, CANCEL_REASONS.paused, PAUSED_RETRY_MS, async () => (await this.cancellation.state(base.connectionId)) === 'active');
  }

  private async wait<P extends RunJobPayload>(job: Job<P, RunJobResult>, base: RunBase, reason: string, delayMs: number, goneAlready?: () => Promise<boolean>): Promise<never> {
    await this.runs.mergeDetails(base.runId, { waiting: reason });
    this.events.emit('run.waiting', { ...base, reason, at: now() });
    await job.moveToDelayed(Date.now() + delayMs, job.token);
    // What the job waits for may have ended between the look and the move (a resume promotes delayed
    // jobs only): then it goes now rather than after the whole delay.
    if (goneAlready && (await goneAlready().catch(() => false))) await job.promote().catch(() => undefined);
    throw new DelayedError();
  }

  /** The connection was deleted while the job waited: nothing to do, nothing left to record. */
  private async gone(base: RunBase): Promise<RunJobResult> {
    await this.runs.finish(base.runId, 'cancelled').catch(() => undefined);
    this.counted(base, 'cancelled');
    return { runId: base.runId, status: 'cancelled' };
  }

  /**
   * The run stopped at a batch boundary (or a wait inside a batch was cut short) because its
   * connection was paused or deleted. What it did is on its record (counts, progress, credits,
   * events, flushed just before); it ends `cancelled` with `details.cancelled` saying why. A manual
   * or follow-up run of a paused connection goes on as a new run, queued on the same job, which
   * waits for the resume (`details.resumedFrom`); a scheduled one does not (the schedule comes back
   * with the resume and fires at once).
   */
  private async cancelled<P extends RunJobPayload>(job: Job<P, RunJobResult>, options: RunOptions<P>, trigger: RunTrigger, report: RunReport, reason: CancelReason): Promise<RunJobResult> {
    const { runId, connectionId } = report.base;
    const progress = report.snapshot();
    const resume = reason === CANCEL_REASONS.paused && trigger !== 'schedule';
    // A connection being deleted is paused first: its row may be gone by now, and the run with it.
    const next = resume ? await this.runs.queue(connectionId, options.kind, trigger, { ...describe(job.data, options), resumedFrom: runId }).catch(() => null) : null;
    const done = progress.total === null ? `${progress.done}` : `${progress.done} of ${progress.total}`;
    await this.runs.event(runId, connectionId, {
      level: 'info',
      reason: `The run was cancelled (${reason}) after ${done}; what it did is kept.${next ? ` It goes on as run ${next.id} when the connection is resumed.` : ''}`,
    });
    await this.runs.mergeDetails(runId, { cancelled: reason, ...(next ? { resumedBy: next.id } : {}) });
    await this.runs.finish(runId, 'cancelled');
    this.counted(report.base, 'cancelled');
    this.events.emit('run.finished', { ...report.base, ...progress, status: 'cancelled', error: null, at: now() });
    this.logger.log({ msg: `run cancelled: ${reason}`, kind: options.kind, runId, connectionId, done: progress.done, credits: progress.credits });
    if (!next) return { runId, status: 'cancelled' };
    await job.updateData({ ...job.data, runId: next.id });
    if (job.id) await this.runs.setJobId(next.id, job.id);
    return this.waitWhilePaused(job, { ...report.base, runId: next.id });
  }

  /** Records a failed attempt and answers the error to throw: the run waits for the retry, or ends `failed`. */
  private async failed<P extends RunJobPayload>(job: Job<P, RunJobResult>, err: unknown, report: RunReport): Promise<unknown> {
    const { runId, connectionId } = report.base;
    // The store is down: nothing can be recorded now, and run() waits for it without using an attempt.
    if (isStoreUnreachable(err) && !(await this.runs.ping())) return err;
    const { permanent, reason } = classifyRunError(err);
    const attempts = job.opts.attempts ?? 1;
    if (!permanent && job.attemptsMade + 1 < attempts) {
      const why = `attempt ${job.attemptsMade + 1} of ${attempts} failed, will retry: ${reason}`;
      await this.runs.requeue(runId, why).catch(() => undefined);
      this.events.emit('run.waiting', { ...report.base, reason: why, at: now() });
      return err;
    }
    this.logger.warn({ msg: `run failed: ${reason}`, runId, connectionId, permanent });
    await this.runs.event(runId, connectionId, { level: 'error', reason: `The run failed: ${reason}` }).catch(() => undefined);
    await this.runs.finish(runId, 'failed', reason).catch(() => undefined);
    this.counted(report.base, 'failed');
    this.events.emit('run.finished', { ...report.base, ...report.snapshot(), status: 'failed', error: reason, at: now() });
    return permanent ? unrecoverable(reason, err) : err;
  }
}

/** What every event of one run names. */
interface RunBase {
  runId: string;
  connectionId: string;
  kind: SyncKind;
}

interface RunSnapshot {
  done: number;
  total: number | null;
  counts: RunCountsView;
  credits: number;
}

const EMPTY_SNAPSHOT: RunSnapshot = { done: 0, total: null, counts: { created: 0, updated: 0, unchanged: 0, failed: 0 }, credits: 0 };

const now = () => new Date().toISOString();

/** The details of a run the runner opens: what the kind says of its payload, and the cause of a follow-up. */
function describe<P extends RunJobPayload>(payload: P, options: RunOptions<P>): Record<string, unknown> {
  return { ...(options.describe?.(payload) ?? {}), ...(payload.causedBy ? { causedBy: payload.causedBy } : {}) };
}

function cancelReason(err: unknown, stop: RunStop): CancelReason {
  if (err instanceof RunCancelled) return err.reason;
  const reason: unknown = stop.signal.reason;
  return reason instanceof RunCancelled ? reason.reason : CANCEL_REASONS.paused;
}

/** What a run has counted and logged since its last flush, and the credits its calls have taken. */
class RunReport {
  meter: { take(): number } | null = null;
  /** Credits the run's earlier attempts spent (on its record already). */
  creditsBefore = 0;
  errors = 0;
  failed = 0;
  private counts: Required<RunCounts> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  private readonly totals: RunCountsView = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  private done = 0;
  private doneTotal = 0;
  private total: number | null = null;
  credits = 0;
  private readonly events: RunEventInput[] = [];
  /** The last progress sent to the mesh. */
  private lastSaid = '';

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly job: Job,
    readonly base: RunBase,
    private readonly mesh: MeshEvents,
    private readonly metrics: MetricsService,
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
    await this.runs.setTotal(this.base.runId, total);
  }

  /** What the run's record says now (this attempt's counts and progress, the credits of every attempt). */
  snapshot(): RunSnapshot {
    return { done: this.doneTotal, total: this.total, counts: { ...this.totals }, credits: this.creditsBefore + this.credits };
  }

  async flush(): Promise<void> {
    const credits = this.meter?.take() ?? 0;
    this.credits += credits;
    this.metrics.sync.creditsUsed(this.base.kind, this.base.connectionId, credits);
    const counts = this.counts;
    const done = this.done;
    this.counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    this.done = 0;
    this.doneTotal += done;
    for (const key of Object.keys(counts) as Array<keyof RunCountsView>) this.totals[key] += counts[key];
    if (credits > 0 || done > 0 || Object.values(counts).some((n) => n > 0)) await this.runs.add(this.base.runId, counts, credits, done);
    await this.runs.events(this.base.runId, this.base.connectionId, this.events.splice(0, this.events.length));
    await this.job.updateProgress({ done: this.doneTotal, total: this.total, credits: this.credits }).catch(() => undefined);
    // News only when there is some: a flush that changed nothing says nothing.
    const snapshot = this.snapshot();
    const said = JSON.stringify(snapshot);
    if (said === this.lastSaid) return;
    this.lastSaid = said;
    this.mesh.emit('run.progress', { ...this.base, ...snapshot, at: now() });
  }
}
