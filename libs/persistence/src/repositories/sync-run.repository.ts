import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import type { EventLevel, RunStatus, RunTrigger, SyncKind } from '@app/contracts';
import { SyncEventEntity } from '../entities/sync-event.entity';
import { SyncRunEntity } from '../entities/sync-run.entity';

export interface RunFilter {
  kind?: SyncKind;
  status?: RunStatus;
  limit: number;
  offset: number;
}

export interface RunCounts {
  created?: number;
  updated?: number;
  unchanged?: number;
  failed?: number;
}

export interface RunEventInput {
  level: EventLevel;
  entityType?: string;
  entityKey?: string;
  reason: string;
  details?: Record<string, unknown>;
}

/** Reasons are for people; keep them readable and bounded. */
const MAX_REASON = 2_000;

/**
 * The one place that writes and reads sync_run and sync_event: queued -> running -> succeeded /
 * partial / failed, progress, counts and credits as increments (safe with concurrent writers),
 * events per entity, and the gateway's lists.
 */
@Injectable()
export class SyncRunRepository {
  constructor(
    @InjectRepository(SyncRunEntity) private readonly runs: Repository<SyncRunEntity>,
    @InjectRepository(SyncEventEntity) private readonly eventRows: Repository<SyncEventEntity>,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Per active (not paused) connection, seconds since its last run of `kind` that ended in one of
   * `statuses` finished, or since the connection was created when none has.
   */
  async secondsSinceLastFinished(kind: SyncKind, statuses: RunStatus[]): Promise<Array<{ connectionId: string; seconds: number }>> {
    const rows: Array<{ id: string; seconds: string }> = await this.dataSource.query(
      // The newest such run by sync_run_connection_queued_idx (a kind's runs of one connection take turns, so the newest queued finished last).
      `SELECT c.id, EXTRACT(EPOCH FROM now() - COALESCE(r.finished_at, c.created_at)) AS seconds
         FROM connection c
         LEFT JOIN LATERAL (
           SELECT finished_at FROM sync_run WHERE connection_id = c.id AND kind = $1 AND status = ANY($2::text[]) ORDER BY queued_at DESC LIMIT 1
         ) r ON true
        WHERE c.paused_at IS NULL ORDER BY c.id`,
      [kind, statuses],
    );
    return rows.map((row) => ({ connectionId: row.id, seconds: Number(row.seconds) }));
  }

  // ---------- writes ----------

  queue(connectionId: string, kind: SyncKind, trigger: RunTrigger, details: Record<string, unknown> = {}): Promise<SyncRunEntity> {
    return this.runs.save(this.runs.create({ connectionId, kind, trigger, status: 'queued', details }));
  }

  async setJobId(runId: string, jobId: string): Promise<void> {
    await this.runs.update({ id: runId }, { jobId });
  }

  /**
   * Running, with the counts and progress of an earlier attempt cleared (credits and events add up
   * over attempts); answers the credits earlier attempts spent.
   */
  async start(runId: string): Promise<{ creditsSpent: number }> {
    const [rows]: [Array<{ credits_spent: number }>, number] = await this.dataSource.query(
      `UPDATE sync_run SET status = 'running', started_at = COALESCE(started_at, now()), error = NULL,
         progress_done = 0, progress_total = NULL, count_created = 0, count_updated = 0, count_unchanged = 0, count_failed = 0
       WHERE id = $1 RETURNING credits_spent`,
      [runId],
    );
    return { creditsSpent: rows[0]?.credits_spent ?? 0 };
  }

  /** Back to queued between attempts, with why the attempt failed. */
  async requeue(runId: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE sync_run SET status = 'queued', error = $2 WHERE id = $1`, [runId, error.slice(0, MAX_REASON)]);
  }

  async setTotal(runId: string, total: number | null): Promise<void> {
    await this.runs.update({ id: runId }, { progressTotal: total });
  }

  /** Adds to the counters, credits and progress (increments, so parallel chunks of one run add up). */
  async add(runId: string, counts: RunCounts, credits = 0, progress = 0): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_run SET count_created = count_created + $2, count_updated = count_updated + $3, count_unchanged = count_unchanged + $4,
         count_failed = count_failed + $5, credits_spent = credits_spent + $6, progress_done = progress_done + $7 WHERE id = $1`,
      [runId, counts.created ?? 0, counts.updated ?? 0, counts.unchanged ?? 0, counts.failed ?? 0, credits, progress],
    );
  }

  async mergeDetails(runId: string, details: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`UPDATE sync_run SET details = details || $2::jsonb WHERE id = $1`, [runId, JSON.stringify(details)]);
  }

  async event(runId: string | null, connectionId: string, input: RunEventInput): Promise<void> {
    await this.events(runId, connectionId, [input]);
  }

  async events(runId: string | null, connectionId: string, inputs: RunEventInput[]): Promise<void> {
    if (inputs.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO sync_event (run_id, connection_id, level, entity_type, entity_key, reason, details)
       SELECT $1, $2, e.level, e.entity_type, e.entity_key, e.reason, e.details FROM jsonb_to_recordset($3::jsonb)
         AS e(level text, entity_type text, entity_key text, reason text, details jsonb)`,
      [
        runId,
        connectionId,
        JSON.stringify(inputs.map((i) => ({ level: i.level, entity_type: i.entityType ?? null, entity_key: i.entityKey ?? null, reason: i.reason.slice(0, MAX_REASON), details: i.details ?? null }))),
      ],
    );
  }

  /** Ends the run; `partial` when some entities failed, `failed` with the reason when the run itself did, `cancelled` when its connection was paused or deleted. */
  async finish(runId: string, status: Exclude<RunStatus, 'queued' | 'running'>, error?: string): Promise<void> {
    await this.dataSource.query(`UPDATE sync_run SET status = $2, error = $3, finished_at = now() WHERE id = $1`, [runId, status, error?.slice(0, MAX_REASON) ?? null]);
  }

  /**
   * Ends as `failed` the connection's other runs of this kind still marked `running`: called by a run
   * that holds the kind's lock, so none of them can be running (their process died, or their job was
   * lost in an outage). Answers their ids; each gets an event saying so.
   */
  async endInterrupted(connectionId: string, kind: SyncKind, byRunId: string): Promise<string[]> {
    const reason = `interrupted: its worker stopped (a crash or an outage) before the run finished; run ${byRunId} took over`;
    const [rows]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE sync_run SET status = 'failed', error = $4, finished_at = now() WHERE connection_id = $1 AND kind = $2 AND status = 'running' AND id <> $3 RETURNING id`,
      [connectionId, kind, byRunId, reason],
    );
    for (const { id } of rows) await this.event(id, connectionId, { level: 'error', reason: `The run was ${reason}.` });
    return rows.map((r) => r.id);
  }

  /** Runs of these kinds still `queued` or `running` with a job, queued longer ago than `olderThanMs`. */
  async openWithJob(kinds: SyncKind[], olderThanMs: number): Promise<Array<{ id: string; connectionId: string; jobId: string }>> {
    if (kinds.length === 0) return [];
    const rows: Array<{ id: string; connection_id: string; job_id: string }> = await this.dataSource.query(
      `SELECT id, connection_id, job_id FROM sync_run WHERE kind = ANY($1) AND status IN ('queued', 'running') AND job_id IS NOT NULL
         AND queued_at < now() - make_interval(secs => $2) ORDER BY queued_at LIMIT 500`,
      [kinds, olderThanMs / 1000],
    );
    return rows.map((r) => ({ id: r.id, connectionId: r.connection_id, jobId: r.job_id }));
  }

  /** Ends a run no job will end (`failed`, with why and an event); false when it had ended meanwhile. */
  async endOrphaned(runId: string, connectionId: string, reason: string): Promise<boolean> {
    const [rows]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE sync_run SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [runId, reason.slice(0, MAX_REASON)],
    );
    if (rows.length === 0) return false;
    await this.event(runId, connectionId, { level: 'error', reason: `The run was ${reason}.` });
    return true;
  }

  /** Whether PostgreSQL answers (after an outage). */
  async ping(): Promise<boolean> {
    return this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  // ---------- reads ----------

  findById(id: string): Promise<SyncRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  /** The connection's runs in these statuses, oldest first. */
  inStatus(connectionId: string, statuses: RunStatus[]): Promise<SyncRunEntity[]> {
    return this.runs.find({ where: { connectionId, status: In(statuses) }, order: { queuedAt: 'ASC' } });
  }

  async countEvents(runId: string, level: EventLevel): Promise<number> {
    return this.eventRows.countBy({ runId, level });
  }

  async listForConnection(connectionId: string, filter: RunFilter): Promise<{ items: SyncRunEntity[]; total: number }> {
    const where: FindOptionsWhere<SyncRunEntity> = { connectionId };
    if (filter.kind) where.kind = filter.kind;
    if (filter.status) where.status = filter.status;
    const [items, total] = await this.runs.findAndCount({ where, order: { queuedAt: 'DESC' }, take: filter.limit, skip: filter.offset });
    return { items, total };
  }

  /** Keyset paging: events after the given id, oldest first. */
  listEvents(runId: string, after: string | undefined, limit: number): Promise<SyncEventEntity[]> {
    const where: FindOptionsWhere<SyncEventEntity> = { runId };
    if (after) where.id = MoreThan(after);
    return this.eventRows.find({ where, order: { id: 'ASC' }, take: limit });
  }
}
