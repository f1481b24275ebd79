import { Injectable } from '@nestjs/common';
import { SandboxDb, type Queryable } from './sandbox-db';

@Injectable()
export class MetaRepository {
  private accountId: string | null = null;

  constructor(private readonly db: SandboxDb) {}

  async get<T>(key: string): Promise<T | null> {
    const row = await this.db.one<{ value: T }>('SELECT value FROM joor_sandbox.meta WHERE key = $1', [key]);
    return row?.value ?? null;
  }

  async set(key: string, value: unknown, on?: Queryable): Promise<void> {
    await this.db.query('INSERT INTO joor_sandbox.meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)], on);
    if (key === 'account_id') this.accountId = value as string;
  }

  /** The seeded JOOR account (one per sandbox). */
  async account(): Promise<string | null> {
    this.accountId ??= await this.get<string>('account_id');
    return this.accountId;
  }
}
