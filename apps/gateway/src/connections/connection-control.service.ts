import { Inject, Injectable, Logger } from '@nestjs/common';
import { SYNC_NAMES } from '@app/contracts';
import { APP_CONFIG, JobProducer, MeshEvents, type AppConfig } from '@app/common';
import { ConnectionRepository, SyncRunRepository, type ConnectionEntity } from '@app/persistence';
import { sleep } from '@app/util';
import { ConnectionSchedules } from '../sync/connection-schedules.service';

/** How often deleting a connection looks whether its runs have stopped. */
const STOP_POLL_MS = 200;

/**
 * Pausing, resuming and deleting a connection. The connection's row is the truth (`paused_at`, read
 * by the sync services at every batch boundary); the mesh event that follows is how a running job
 * hears of it at once.
 */
@Injectable()
export class ConnectionControl {
  private readonly logger = new Logger(ConnectionControl.name);

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly runs: SyncRunRepository,
    private readonly schedules: ConnectionSchedules,
    private readonly producer: JobProducer,
    private readonly events: MeshEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Pauses the connection: its schedules stop, its queued jobs wait (each job that starts puts itself
   * back, its run `queued` with `details.waiting`), and a running job stops at its next batch
   * boundary, its run ending `cancelled` with what it did recorded. Answers at once (the runs' ends
   * follow within seconds: `GET /connections/:id/stream` shows them); null when there is no such
   * connection. Pausing a paused connection changes nothing.
   */
  async pause(id: string): Promise<ConnectionEntity | null> {
    const connection = await this.connections.pause(id);
    if (!connection) return null;
    await this.schedules.remove(id);
    this.events.emit('connection.paused', { connectionId: id, at: new Date().toISOString() });
    this.logger.log({ msg: 'connection paused', connectionId: id });
    return connection;
  }

  /**
   * Resumes the connection: its schedules are set again (and fire at once, so a catalog delta reads
   * on from its cursor and a poll from JOOR's feed), and its waiting jobs go now (a cancelled manual
   * run goes on as the run named in its `details.resumedBy`). Null when there is no such connection.
   */
  async resume(id: string): Promise<ConnectionEntity | null> {
    const resumed = await this.connections.resume(id);
    if (!resumed) return null;
    await this.schedules.ensure(id, resumed.connection.settings);
    await this.promoteWaiting(id);
    if (resumed.wasPausedAt) {
      this.events.emit('connection.resumed', { connectionId: id, at: new Date().toISOString() });
      this.logger.log({ msg: 'connection resumed', connectionId: id, pausedAt: resumed.wasPausedAt.toISOString() });
    }
    return resumed.connection;
  }

  /**
   * Deletes the connection: paused first (schedules removed, running jobs told to stop), then, once
   * its runs have left `running` (waiting at most CONNECTION_STOP_TIMEOUT_MS), its queued jobs and
   * its rows (runs, events, links, cursors, ledger) go. False when there is no such connection.
   */
  async delete(id: string): Promise<boolean> {
    if (!(await this.connections.pause(id))) return false;
    await this.schedules.remove(id);
    this.events.emit('connection.deleted', { connectionId: id, at: new Date().toISOString() });
    await this.waitForRunsToStop(id);
    await this.removeQueuedJobs(id);
    return this.connections.delete(id);
  }

  private async waitForRunsToStop(id: string): Promise<void> {
    const deadline = Date.now() + this.config.gateway.connectionStopTimeoutMs;
    for (;;) {
      const running = await this.runs.inStatus(id, ['running']);
      if (running.length === 0) return;
      if (Date.now() >= deadline) {
        // A run left `running` by a process that died, or a job that did not hear: its rows go anyway
        // (its writes then find no connection, and its next batch boundary stops it).
        this.logger.warn({ msg: 'deleting a connection whose runs did not stop in time', connectionId: id, runs: running.map((r) => r.id) });
        return;
      }
      await sleep(STOP_POLL_MS);
    }
  }

  /** The delayed jobs of the connection's queued runs (waiting for the pause to end, a retry or a busy connection) go now. */
  private async promoteWaiting(id: string): Promise<void> {
    for (const run of await this.runs.inStatus(id, ['queued'])) {
      if (!run.jobId) continue;
      const job = await this.producer.queue(SYNC_NAMES[run.kind].queue).getJob(run.jobId);
      if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
    }
  }

  /** The jobs of the connection's queued runs, so none starts after its rows are gone (an active one finds no connection and ends). */
  private async removeQueuedJobs(id: string): Promise<void> {
    for (const run of await this.runs.inStatus(id, ['queued'])) {
      if (!run.jobId) continue;
      const job = await this.producer.queue(SYNC_NAMES[run.kind].queue).getJob(run.jobId);
      if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
    }
  }
}
