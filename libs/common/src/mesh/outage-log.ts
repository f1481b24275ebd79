import type { Logger } from '@nestjs/common';

/**
 * Says once that something stopped working and once that it works again, however often it fails
 * in between (a Redis outage makes every emit and every reconnect attempt fail).
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    private readonly what: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  failed(err: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^Error: /, '');
    this.logger.warn({ msg: `${this.what} stopped: ${reason}; syncs go on, and run records stay the truth` });
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log({ msg: `${this.what} works again` });
  }
}
