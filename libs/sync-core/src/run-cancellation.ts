import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { map, merge, type Subscription } from 'rxjs';
import { CANCEL_REASONS, type CancelReason } from '@app/contracts';
import { MeshEventBus } from '@app/common';
import { ConnectionRepository, type ConnectionRunState } from '@app/persistence';
import { RunCancelled } from './run-errors';

/**
 * How often, while runs are going, the process asks PostgreSQL about their connections (one query
 * for all of them). The pause event stops a run at once; this stops it within a few seconds when
 * the event was lost (Redis away, a subscriber reconnecting), as the check at every batch boundary
 * would only at the end of the batch.
 */
export const CANCEL_POLL_MS = 5_000;

/** One running run's way to learn that it must stop. */
export interface RunStop {
  /** Aborts (with a RunCancelled as its reason) when the run must stop: hand it to long waits. */
  readonly signal: AbortSignal;
  /** A batch boundary: throws RunCancelled when the run must stop, by the event heard or by the connection's row. */
  checkpoint(): Promise<void>;
  /** The run is over (or waits): stop watching it. */
  release(): void;
}

interface Watched {
  connectionId: string;
  controller: AbortController;
}

const REASON_OF: Record<Exclude<ConnectionRunState, 'active'>, CancelReason> = { paused: CANCEL_REASONS.paused, deleted: CANCEL_REASONS.deleted };

/**
 * Stops the runs of a paused or deleted connection, through two paths: the gateway's mesh event
 * (`connection.paused`, `connection.deleted`: immediate, aborts the runs' signals so a wait inside
 * a batch ends at once) and the connection's row (`paused_at`, or no row: read at every batch
 * boundary and every CANCEL_POLL_MS), so a lost event still stops the run.
 */
@Injectable()
export class RunCancellation implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RunCancellation.name);
  private readonly watched = new Map<string, Watched>();
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: MeshEventBus,
    private readonly connections: ConnectionRepository,
  ) {}

  onModuleInit(): void {
    this.subscription = merge(
      this.bus.on('connection.paused').pipe(map((event) => ({ connectionId: event.connectionId, reason: CANCEL_REASONS.paused }))),
      this.bus.on('connection.deleted').pipe(map((event) => ({ connectionId: event.connectionId, reason: CANCEL_REASONS.deleted }))),
    ).subscribe(({ connectionId, reason }) => this.cancel(connectionId, reason));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.stopPolling();
  }

  /** Whether the connection's jobs may run now, from its row. */
  async state(connectionId: string): Promise<ConnectionRunState> {
    return (await this.connections.runStates([connectionId])).get(connectionId)!;
  }

  watch(runId: string, connectionId: string): RunStop {
    const controller = new AbortController();
    this.watched.set(runId, { connectionId, controller });
    this.startPolling();
    return {
      signal: controller.signal,
      checkpoint: async () => {
        controller.signal.throwIfAborted();
        const state = await this.state(connectionId);
        if (state !== 'active') this.abort(controller, REASON_OF[state]);
        controller.signal.throwIfAborted();
      },
      release: () => {
        this.watched.delete(runId);
        if (this.watched.size === 0) this.stopPolling();
      },
    };
  }

  private cancel(connectionId: string, reason: CancelReason): void {
    for (const [runId, run] of this.watched) {
      if (run.connectionId !== connectionId || run.controller.signal.aborted) continue;
      this.logger.log({ msg: `stopping run: ${reason}`, runId, connectionId });
      this.abort(run.controller, reason);
    }
  }

  private abort(controller: AbortController, reason: CancelReason): void {
    if (!controller.signal.aborted) controller.abort(new RunCancelled(reason));
  }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), CANCEL_POLL_MS);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    const ids = [...new Set([...this.watched.values()].map((run) => run.connectionId))];
    if (ids.length === 0) return;
    // A database that is away fails the runs' own writes; nothing to add here.
    const states = await this.connections.runStates(ids).catch(() => null);
    for (const [connectionId, state] of states ?? []) if (state !== 'active') this.cancel(connectionId, REASON_OF[state]);
  }
}
