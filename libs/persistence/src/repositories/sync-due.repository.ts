import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DueEntity {
  key: string;
  reason: string;
  attempts: number;
}

/**
 * How soon a due entity is tried again: at the next run for its first three failures, then after
 * 15 minutes, doubling to at most 6 hours, so something JOOR refuses for good does not take
 * credits every few minutes for ever (it stays listed, with its reason, until it goes through).
 */
export const DUE_BACKOFF = { freeAttempts: 3, firstDelayMinutes: 15, maxDelayHours: 6 } as const;

/** Entities of a sync kind that failed and wait for the next run to try them again (sync_due). */
@Injectable()
export class SyncDueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The keys due now (their back-off has passed), oldest failure first. */
  async due(connectionId: string, kind: string, limit = 10_000): Promise<DueEntity[]> {
    const rows: Array<{ entity_key: string; reason: string; attempts: number }> = await this.dataSource.query(
      `SELECT entity_key, reason, attempts FROM sync_due WHERE connection_id = $1 AND kind = $2 AND next_attempt_at <= now() ORDER BY first_failed_at, entity_key LIMIT $3`,
      [connectionId, kind, limit],
    );
    return rows.map((r) => ({ key: r.entity_key, reason: r.reason, attempts: r.attempts }));
  }

  /** Records failures (a repeat counts an attempt and pushes the next try back). */
  async record(connectionId: string, kind: string, failures: Array<{ key: string; reason: string }>): Promise<void> {
    if (failures.length === 0) return;
    const unique = [...new Map(failures.map((f) => [f.key, f])).values()];
    await this.dataSource.query(
      `INSERT INTO sync_due (connection_id, kind, entity_key, reason)
       SELECT $1, $2, x.entity_key, x.reason FROM jsonb_to_recordset($3::jsonb) AS x(entity_key text, reason text)
       ON CONFLICT (connection_id, kind, entity_key) DO UPDATE SET
         attempts = sync_due.attempts + 1, reason = EXCLUDED.reason, last_failed_at = now(),
         next_attempt_at = now() + CASE WHEN sync_due.attempts + 1 <= $4 THEN interval '0'
           ELSE LEAST(interval '1 hour' * $6, interval '1 minute' * $5 * power(2, sync_due.attempts + 1 - $4 - 1)) END`,
      [
        connectionId,
        kind,
        JSON.stringify(unique.map((f) => ({ entity_key: f.key, reason: f.reason.slice(0, 2_000) }))),
        DUE_BACKOFF.freeAttempts,
        DUE_BACKOFF.firstDelayMinutes,
        DUE_BACKOFF.maxDelayHours,
      ],
    );
  }

  /** These went through: no longer due. */
  async clear(connectionId: string, kind: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(`DELETE FROM sync_due WHERE connection_id = $1 AND kind = $2 AND entity_key = ANY($3::text[])`, [connectionId, kind, keys]);
  }

  async count(connectionId: string, kind: string): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(`SELECT count(*)::text AS n FROM sync_due WHERE connection_id = $1 AND kind = $2`, [connectionId, kind]);
    return Number(rows[0]?.n ?? 0);
  }
}
