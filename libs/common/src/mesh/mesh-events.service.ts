import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Observable, Subject, filter, map } from 'rxjs';
import { MESH_EVENT_NAMES, meshChannel, type MeshEvent, type MeshEventMap, type MeshEventName } from '@app/contracts';
import { withTimeout } from '@app/util';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { MeshRedisClient, MeshRedisServer, meshTransportOptions } from './mesh-redis.transport';
import { OutageLog } from './outage-log';

/** How long a boot waits for the event subscription before going on without it. */
const LISTEN_WAIT_MS = 5_000;

/**
 * Sends mesh events (see libs/contracts/src/mesh-events.ts) over the Redis transport of
 * @nestjs/microservices. Fire-and-forget: `emit` never throws and never waits, so a Redis outage
 * never slows or breaks a sync; it is logged once, and once more when events flow again.
 */
@Injectable()
export class MeshEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MeshEvents.name);
  private readonly outage = new OutageLog(this.logger, 'sending mesh events');
  private readonly client: MeshRedisClient;
  private readonly prefix: string;
  private closed = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.queuePrefix;
    this.client = new MeshRedisClient(meshTransportOptions(config, 'emit'), this.outage);
  }

  onApplicationBootstrap(): void {
    // Connected ahead of the first event; a Redis that is away now is retried by the transport.
    this.client.connect().catch((err: unknown) => this.outage.failed(err));
  }

  emit<N extends MeshEventName>(name: N, payload: MeshEventMap[N]): void {
    if (this.closed) return;
    this.client.emit(meshChannel(this.prefix, name), payload).subscribe({
      complete: () => this.outage.recovered(),
      error: (err: unknown) => this.outage.failed(err),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }
}

/**
 * Hears the mesh's events over the Redis transport of @nestjs/microservices (one subscriber per
 * process, every event name of this deployment's prefix) and hands them out as an Observable. It
 * subscribes during boot, so an event sent once the app is up is heard; one missed in an outage is
 * never replayed (the run record and the connection row are the truth, read by every consumer).
 */
@Injectable()
export class MeshEventBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MeshEventBus.name);
  private readonly outage = new OutageLog(this.logger, 'hearing mesh events');
  private readonly server: MeshRedisServer;
  private readonly subject = new Subject<MeshEvent>();
  /** Every event heard; completes when the app shuts down. */
  readonly events$: Observable<MeshEvent> = this.subject.asObservable();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.server = new MeshRedisServer(meshTransportOptions(config, 'listen'), this.outage);
    for (const name of MESH_EVENT_NAMES) {
      this.server.addHandler(meshChannel(config.queuePrefix, name), async (payload: unknown) => this.subject.next({ name, payload } as MeshEvent), true);
    }
    this.server.on('ready', () => this.outage.recovered());
  }

  /** The payloads of one event. */
  on<N extends MeshEventName>(name: N): Observable<MeshEventMap[N]> {
    return this.events$.pipe(
      filter((event) => event.name === name),
      map((event) => event.payload as MeshEventMap[N]),
    );
  }

  /**
   * Subscribed before the app is up. A Redis that is away or hangs delays the boot by at most
   * LISTEN_WAIT_MS: the channels are bound whenever it answers.
   */
  async onApplicationBootstrap(): Promise<void> {
    const listening = new Promise<void>((resolve) =>
      this.server.listen((err?: unknown) => {
        if (err) this.outage.failed(err);
        resolve();
      }),
    );
    await withTimeout(listening, LISTEN_WAIT_MS, 'the mesh event subscription').catch((err: unknown) => this.outage.failed(err));
  }

  async onApplicationShutdown(): Promise<void> {
    this.subject.complete();
    await this.server.close();
  }
}
