import type { DataSource, QueryRunner } from 'typeorm';
import { sleep } from '@app/util';

/** Another poll of the same connection held the lock for longer than a poll waits. */
export class PollBusyError extends Error {
  override readonly name = 'PollBusyError';
}

// The first key of the two-int advisory lock names what is locked, so other features can use their own.
const ORDER_POLL_LOCK_CLASS = 0x6f726470; // "ordp"
const RETRY_MS = 250;

/**
 * Per-connection mutual exclusion of order polls across every replica: a PostgreSQL session-level
 * advisory lock on a connection of its own. A process that dies loses its session, and with it the
 * lock, so a killed poll never blocks the next one.
 */
export class PollLock {
  private constructor(private readonly runner: QueryRunner, private readonly connectionId: string) {}

  static async acquire(dataSource: DataSource, connectionId: string, waitMs: number): Promise<PollLock> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const deadline = Date.now() + waitMs;
    try {
      for (;;) {
        const [row] = await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [ORDER_POLL_LOCK_CLASS, connectionId]);
        if (row.locked) return new PollLock(runner, connectionId);
        if (Date.now() >= deadline) throw new PollBusyError(`another order poll of this connection has been running for over ${Math.round(waitMs / 1000)} s`);
        await sleep(RETRY_MS);
      }
    } catch (err) {
      await runner.release();
      throw err;
    }
  }

  async release(): Promise<void> {
    try {
      await this.runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [ORDER_POLL_LOCK_CLASS, this.connectionId]);
    } finally {
      await this.runner.release();
    }
  }
}
