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
}
