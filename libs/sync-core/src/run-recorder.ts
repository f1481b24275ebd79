import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { EventLevel, RunStatus, RunTrigger, SyncKind } from '@app/contracts';
import { SyncRunEntity } from '@app/persistence';

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
 * The one writer of sync_run and sync_event rows: queued -> running -> succeeded/partial/failed,
 * progress, counts and credits as increments (safe with concurrent writers), events per entity.
 */
@Injectable()
export class RunRecorder {
  constructor(
    @InjectRepository(SyncRunEntity) private readonly runs: Repository<SyncRunEntity>,
    private readonly dataSource: DataSource,
  ) {}

  async queue(connectionId: string, kind: SyncKind, trigger: RunTrigger, details: Record<string, unknown> = {}): Promise<SyncRunEntity> {
    return this.runs.save(this.runs.create({ connectionId, kind, trigger, status: 'queued', details }));
  }

  async setJobId(runId: string, jobId: string): Promise<void> {
    await this.runs.update({ id: runId }, { jobId });
  }

  async start(runId: string): Promise<void> {
    await this.dataSource.query(`UPDATE sync_run SET status = 'running', started_at = COALESCE(started_at, now()), error = NULL WHERE id = $1`, [runId]);
  }

  async setTotal(runId: string, total: number | null): Promise<void> {
    await this.runs.update({ id: runId }, { progressTotal: total });
  }

  async progress(runId: string, done: number, total?: number | null): Promise<void> {
    if (total === undefined) await this.runs.update({ id: runId }, { progressDone: done });
    else await this.runs.update({ id: runId }, { progressDone: done, progressTotal: total });
  }

  /** Adds to the counters and credits (increments, so parallel chunks of one run add up). */
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
        JSON.stringify(
          inputs.map((i) => ({ level: i.level, entity_type: i.entityType ?? null, entity_key: i.entityKey ?? null, reason: i.reason.slice(0, MAX_REASON), details: i.details ?? null })),
        ),
      ],
    );
  }

  /** Ends the run; `partial` when some entities failed, `failed` with the reason when the run itself did. */
  async finish(runId: string, status: Exclude<RunStatus, 'queued' | 'running'>, error?: string): Promise<void> {
    await this.dataSource.query(`UPDATE sync_run SET status = $2, error = $3, finished_at = now() WHERE id = $1`, [runId, status, error?.slice(0, MAX_REASON) ?? null]);
  }

  find(runId: string): Promise<SyncRunEntity | null> {
    return this.runs.findOneBy({ id: runId });
  }
}
