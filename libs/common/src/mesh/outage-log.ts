import type { Logger } from '@nestjs/common';
import { outages } from '../logging/outage-log';

/**
 * Says once that something stopped working and once that it works again, however often it fails
 * in between (a Redis outage makes every emit and every reconnect attempt fail). The mesh events
 * ride on Redis: the outage itself is the process's Redis outage (logged once, at error, by
 * `outages`); these lines, at debug, only say what it meant for the live events.
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: Pick<Logger, 'debug'>,
    private readonly what: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  failed(err: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^Error: /, '');
    outages.failed('Redis', err);
    this.logger.debug({ msg: `${this.what} stopped: ${reason}; syncs go on, and run records stay the truth` });
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    outages.recovered('Redis');
    this.logger.debug({ msg: `${this.what} works again` });
  }
}
