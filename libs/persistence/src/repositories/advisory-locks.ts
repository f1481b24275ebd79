import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/** A held lock; release it when the work is done (a process that dies releases it with its session). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Mutual exclusion across every process and replica: PostgreSQL session-level advisory locks, each
 * held on a pooled connection of its own for as long as the work runs. A killed process loses its
 * session and with it the lock, so a crash never blocks the next run. The one implementation every
 * sync kind uses (`sync:<kind>:<connection>`).
 */
@Injectable()
export class AdvisoryLocks {
  constructor(private readonly dataSource: DataSource) {}

  /** The lock, or null when another session holds it. */
  async tryAcquire(key: string): Promise<HeldLock | null> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [key]);
      if (!row.locked) {
        await runner.release();
        return null;
      }
    } catch (err) {
      await runner.release();
      throw err;
    }
    return {
      release: async () => {
        try {
          await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
        } finally {
          await runner.release();
        }
      },
    };
  }
}
