import { abortReason, type Clock } from '@app/util';

export interface RunOptions {
  /** Sleeps of other callers that are expected to keep sleeping meanwhile. */
  alsoSleeping?: number;
  /**
   * Wake together every sleep due within this many ms of the earliest one, so callers that
   * would wake almost at once on a real machine race each other (default 0: one by one).
   */
  batchMs?: number;
}

interface Sleeper {
  wakeAt: number;
  resolve(): void;
}

/**
 * A clock that only moves when told to (tests). Sleeps wait until `advance`/`advanceTo` passes
 * their wake-up time; nothing else (Redis, sockets, Node's own timers) is affected.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private watchers: Array<{ count: number; resolve(): void }> = [];

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notify();
    });
  }

  /** How many sleeps are waiting for time to pass. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** The earliest wake-up among the sleeps (undefined when none sleeps). */
  get nextWakeAt(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.wakeAt)) : undefined;
  }

  /** Resolves once at least `count` sleeps are waiting (at once). */
  whenSleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /** Moves time on by `ms` and wakes every sleep due by then. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves time on to `at` (never back) and wakes every sleep due by then. */
  advanceTo(at: number): void {
    this.current = Math.max(this.current, at);
    const due = this.sleepers.filter((s) => s.wakeAt <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.current);
    for (const sleeper of due) sleeper.resolve();
  }

  /**
   * Settles `work` as an idle machine would, with no time lost between steps: whenever it sleeps
   * (and `alsoSleeping` other sleeps wait too), time jumps straight to the earliest wake-up.
   */
  async run<T>(work: Promise<T>, options: RunOptions = {}): Promise<T> {
    await this.runAll([work], options);
    return work;
  }

  /**
   * `run` for several callers at once: time moves only while every unsettled one sleeps (plus
   * `alsoSleeping` others), so none of them is caught mid-step by a jump. Resolves once all have
   * settled (a rejection is left to the caller's own handling of its promise).
   */
  async runAll(works: Array<Promise<unknown>>, options: RunOptions = {}): Promise<void> {
    const { alsoSleeping = 0, batchMs = 0 } = options;
    const open = new Set<Promise<void>>();
    for (const work of works) {
      const tracked: Promise<void> = work.then(
        () => undefined,
        () => undefined,
      );
      open.add(tracked);
      void tracked.then(() => open.delete(tracked));
    }
    while (open.size > 0) {
      await Promise.race([...open, this.whenSleeping(open.size + alsoSleeping)]);
      if (open.size > 0 && this.sleepers.length >= open.size + alsoSleeping) this.advanceTo(this.nextWakeAt! + batchMs);
    }
  }

  private notify(): void {
    const ready = this.watchers.filter((w) => this.sleepers.length >= w.count);
    this.watchers = this.watchers.filter((w) => this.sleepers.length < w.count);
    for (const watcher of ready) watcher.resolve();
  }
}
