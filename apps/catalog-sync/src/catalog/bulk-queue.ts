/**
 * Items waiting for one bulk endpoint. Full calls go as soon as there are `max` items; the rest
 * waits for more (from the next styles) until the run drains it, so every call but the last of
 * each endpoint is filled to JOOR's maximum: the credit cost stays at its lower bound.
 */
export class BulkQueue<T> {
  private items: T[] = [];

  constructor(
    private readonly max: number,
    private readonly send: (batch: T[]) => Promise<void>,
  ) {}

  get size(): number {
    return this.items.length;
  }

  async push(...items: T[]): Promise<void> {
    this.items.push(...items);
    while (this.items.length >= this.max) await this.send(this.items.splice(0, this.max));
  }

  /** Sends what is left (a last, partial call). */
  async drain(): Promise<boolean> {
    if (this.items.length === 0) return false;
    while (this.items.length > 0) await this.send(this.items.splice(0, this.max));
    return true;
  }
}
