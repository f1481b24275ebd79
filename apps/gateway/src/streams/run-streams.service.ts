import { Inject, Injectable, OnModuleDestroy, Optional, type MessageEvent } from '@nestjs/common';
import { Observable, Subject, filter, takeUntil, type Subscriber } from 'rxjs';
import { isFinalRunStatus, type MeshEvent, type RunStatus } from '@app/contracts';
import { MeshEventBus } from '@app/common';
import { ConnectionRepository, SyncRunRepository } from '@app/persistence';
import { toRunView } from '../runs/run.view';

/** Overrides STREAM_RECHECK_MS (tests). */
export const STREAM_RECHECK = Symbol('STREAM_RECHECK');

/**
 * How often an open stream reads its run (or connection) again and sends the state when it differs
 * from what the stream said: an event lost on the way (Redis away) costs a follower at most this
 * long, never the state, and a stream whose run ended unheard still ends.
 */
export const STREAM_RECHECK_MS = 5_000;

/** How many of a connection's newest runs its stream's state shows. */
const CONNECTION_STREAM_RUNS = 10;

/**
 * What `GET /runs/:id/stream` and `GET /connections/:id/stream` send, as Server-Sent Events, one JSON
 * object per `data:` line, its `type` first: `state` (read from PostgreSQL: the first message, and
 * again whenever a re-read finds what the stream said out of date), then the mesh's events as they
 * come (`run.started`, `run.progress`, `run.waiting`, `run.finished`, `connection.paused`,
 * `connection.resumed`, `connection.deleted`, each with its payload). A run's stream ends when the
 * run ends (at once, with its final state, for a run that had ended) or its record is gone; a
 * connection's when the connection is deleted. Every stream ends when the gateway shuts down.
 */
@Injectable()
export class RunStreams implements OnModuleDestroy {
  private readonly closing$ = new Subject<void>();
  private readonly recheckMs: number;

  constructor(
    private readonly bus: MeshEventBus,
    private readonly runs: SyncRunRepository,
    private readonly connections: ConnectionRepository,
    @Optional() @Inject(STREAM_RECHECK) recheckMs?: number,
  ) {
    this.recheckMs = recheckMs ?? STREAM_RECHECK_MS;
  }

  onModuleDestroy(): void {
    this.closing$.next();
    this.closing$.complete();
  }

  /** The run's stream; null when there is no such run. */
  async run(runId: string): Promise<Observable<MessageEvent> | null> {
    const found = await this.runs.findById(runId);
    if (!found) return null;
    const { connectionId } = found;
    let told: RunStatus | null = null;
    return this.stream({
      relevant: (event) => ('runId' in event.payload ? event.payload.runId === runId : event.name === 'connection.deleted' && event.payload.connectionId === connectionId),
      state: async (out) => {
        const run = await this.runs.findById(runId);
        if (!run) return out.complete();
        if (run.status === told) return;
        told = run.status;
        out.next({ data: { type: 'state', run: toRunView(run) } });
        if (isFinalRunStatus(run.status)) out.complete();
      },
      event: (event, out) => {
        out.next({ data: { type: event.name, ...event.payload } });
        if (event.name === 'run.started') told = 'running';
        else if (event.name === 'run.waiting') told = 'queued';
        // A deleted connection's running run still ends (`cancelled`) before its rows go; a queued one's
        // stream ends at the next re-read, which finds no run.
        else if (event.name === 'run.finished') out.complete();
      },
    });
  }

  /** The connection's stream (its pause and its runs); null when there is no such connection. */
  async connection(connectionId: string): Promise<Observable<MessageEvent> | null> {
    if (!(await this.connections.findById(connectionId))) return null;
    // What the stream has said: the pause and the runs' statuses, from its last state and the events since.
    let saidPaused: boolean | null = null;
    let said = new Map<string, RunStatus>();
    return this.stream({
      relevant: (event) => event.payload.connectionId === connectionId,
      state: async (out) => {
        const connection = await this.connections.findById(connectionId);
        if (!connection) {
          out.next({ data: { type: 'connection.deleted', connectionId, at: new Date().toISOString() } });
          return out.complete();
        }
        const { items } = await this.runs.listForConnection(connectionId, { limit: CONNECTION_STREAM_RUNS, offset: 0 });
        const paused = connection.pausedAt !== null;
        if (paused === saidPaused && items.every((run) => said.get(run.id) === run.status)) return;
        saidPaused = paused;
        said = new Map(items.map((run) => [run.id, run.status]));
        out.next({ data: { type: 'state', connection: { id: connection.id, name: connection.name, pausedAt: connection.pausedAt?.toISOString() ?? null }, runs: items.map(toRunView) } });
      },
      event: (event, out) => {
        out.next({ data: { type: event.name, ...event.payload } });
        if (event.name === 'connection.deleted') out.complete();
        else if (event.name === 'connection.paused' || event.name === 'connection.resumed') saidPaused = event.name === 'connection.paused';
        else if (event.name === 'run.started') said.set(event.payload.runId, 'running');
        else if (event.name === 'run.waiting') said.set(event.payload.runId, 'queued');
        else if (event.name === 'run.finished') said.set(event.payload.runId, event.payload.status);
      },
    });
  }

  /**
   * A stream: the state first, then the events heard. Events are heard from before the state is
   * read (kept until it is sent), so none falls between the two; the state is read again every
   * recheck, sent only when it differs from what the stream said.
   */
  private stream(spec: {
    relevant: (event: MeshEvent) => boolean;
    state: (out: Subscriber<MessageEvent>) => Promise<void>;
    event: (event: MeshEvent, out: Subscriber<MessageEvent>) => void;
  }): Observable<MessageEvent> {
    return new Observable<MessageEvent>((out) => {
      let held: MeshEvent[] | null = [];
      const events = this.bus.events$.pipe(filter(spec.relevant)).subscribe((event) => (held ? held.push(event) : spec.event(event, out)));
      let reading = true;
      spec.state(out).then(
        () => {
          const pending = held ?? [];
          held = null;
          for (const event of pending) if (!out.closed) spec.event(event, out);
          reading = false;
        },
        (err: unknown) => out.error(err),
      );
      const timer = setInterval(() => {
        if (reading || held) return;
        reading = true;
        spec
          .state(out)
          .catch(() => undefined) // PostgreSQL away: the next recheck reads again
          .finally(() => (reading = false));
      }, this.recheckMs);
      return () => {
        events.unsubscribe();
        clearInterval(timer);
      };
    }).pipe(takeUntil(this.closing$));
  }
}
