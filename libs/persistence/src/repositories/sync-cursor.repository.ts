import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Per connection and stream (e.g. `amc.catalog`), how far an incremental read has come. */
@Injectable()
export class SyncCursorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(connectionId: string, stream: string): Promise<string | null> {
    const rows: Array<{ value: string }> = await this.dataSource.query(`SELECT value FROM sync_cursor WHERE connection_id = $1 AND stream = $2`, [connectionId, stream]);
    return rows[0]?.value ?? null;
  }

  async set(connectionId: string, stream: string, value: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sync_cursor (connection_id, stream, value, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (connection_id, stream) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [connectionId, stream, value],
    );
  }

  /**
   * Per active (not paused) connection, seconds since the time a stream's cursor holds (an ISO
   * timestamp), or since the connection was created when it has none yet.
   */
  async agesSeconds(stream: string): Promise<Array<{ connectionId: string; seconds: number }>> {
    const rows: Array<{ id: string; seconds: string }> = await this.dataSource.query(
      `SELECT c.id, EXTRACT(EPOCH FROM now() - COALESCE(s.value::timestamptz, c.created_at)) AS seconds
         FROM connection c LEFT JOIN sync_cursor s ON s.connection_id = c.id AND s.stream = $1
        WHERE c.paused_at IS NULL ORDER BY c.id`,
      [stream],
    );
    return rows.map((row) => ({ connectionId: row.id, seconds: Number(row.seconds) }));
  }
}
