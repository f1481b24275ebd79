/**
 * How an incremental sync decides what to read (pure). A run keeps a cursor (where the last read
 * ended) and a *shape* (the settings and reference data every entity's result depends on, such as
 * exchange rates for prices or the stock field for inventory): a changed shape changes entities the
 * source did not touch, so the run reads them all.
 */
export type SyncMode = 'full' | 'delta' | 'styles';

/** The parts of the shape that differ from the last run's (none when there was no last run). */
export function shapeChanges<S extends object>(previous: Record<string, unknown> | null, shape: S): string[] {
  if (!previous) return [];
  return Object.keys(shape).filter((key) => JSON.stringify(previous[key]) !== JSON.stringify((shape as Record<string, unknown>)[key]));
}

/** The named styles; every entity (asked for, the first run, or the shape changed); else what changed since the cursor (and the due ones). */
export function chooseMode(input: { styleNumbers: string[]; full: boolean; cursor: string | null; previousShape: Record<string, unknown> | null; changes: string[] }): SyncMode {
  if (input.styleNumbers.length) return 'styles';
  if (input.full || !input.cursor || !input.previousShape || input.changes.length > 0) return 'full';
  return 'delta';
}

/** The delta's `last_modified_time >=` bound: the cursor minus the overlap, as AMC writes times. */
export function deltaSince(cursor: string | null, overlapMs: number): string | null {
  return cursor ? new Date(Date.parse(cursor) - overlapMs).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

export function parseShape(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
