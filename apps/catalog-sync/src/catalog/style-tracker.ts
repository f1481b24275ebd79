/** What happened to one style in a run, settled once its last pending JOOR write is answered. */
interface StyleState {
  pending: number;
  created: boolean;
  written: boolean;
  failed: boolean;
  /** Why JOOR did not take part of it (refused, or no answer after retries): it stays due. */
  retry: string | null;
}

export interface StyleCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  done: number;
}

/** Styles settled since the last take: those to try again at the next delta, and those that are done with. */
export interface SettledStyles {
  due: Array<{ key: string; reason: string }>;
  clear: string[];
}

/**
 * Counts styles, not calls: a style is created when any of its products was created, updated when
 * anything of it was written, unchanged when nothing was, failed when it or any SKU/price failed.
 * Writes are batched across styles, so a style is settled when its last pending write returns.
 */
export class StyleTracker {
  private readonly styles = new Map<string, StyleState>();
  private counts: StyleCounts = { created: 0, updated: 0, unchanged: 0, failed: 0, done: 0 };
  private settled: SettledStyles = { due: [], clear: [] };

  open(styleId: string): void {
    if (!this.styles.has(styleId)) this.styles.set(styleId, { pending: 1, created: false, written: false, failed: false, retry: null });
    else this.styles.get(styleId)!.pending++;
  }

  add(styleId: string, n = 1): void {
    const state = this.styles.get(styleId);
    if (state) state.pending += n;
  }

  mark(styleId: string, what: 'created' | 'written' | 'failed'): void {
    const state = this.styles.get(styleId);
    if (!state) return;
    if (what === 'created') state.created = state.written = true;
    else if (what === 'written') state.written = true;
    else state.failed = true;
  }

  /** JOOR did not take part of the style: failed in this run, and due at the next delta. */
  retry(styleId: string, reason: string): void {
    const state = this.styles.get(styleId);
    if (!state) return;
    state.failed = true;
    state.retry ??= reason;
  }

  /** One pending piece of the style is finished; settles the style when it was the last. */
  release(styleId: string): void {
    const state = this.styles.get(styleId);
    if (!state) return;
    if (--state.pending > 0) return;
    this.styles.delete(styleId);
    this.counts.done++;
    if (state.failed) this.counts.failed++;
    else if (state.created) this.counts.created++;
    else if (state.written) this.counts.updated++;
    else this.counts.unchanged++;
    if (state.retry) this.settled.due.push({ key: styleId, reason: state.retry });
    else this.settled.clear.push(styleId);
  }

  /** The counts since the last take (increments for the run record). */
  take(): StyleCounts {
    const out = this.counts;
    this.counts = { created: 0, updated: 0, unchanged: 0, failed: 0, done: 0 };
    return out;
  }

  takeSettled(): SettledStyles {
    const out = this.settled;
    this.settled = { due: [], clear: [] };
    return out;
  }
}
