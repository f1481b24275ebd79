import { normaliseJoorId, type JoorItemErrorBody } from './joor-api.schemas';

/** One item JOOR accepted: created or updated, or a re-create resolved to the existing record. */
export interface BulkOk<I, R> {
  index: number;
  input: I;
  /** JOOR's id of the record. */
  id: string;
  /** The record as JOOR returned it (absent for a DUPLICATED resolved to the existing id). */
  record: R | null;
  /** True when JOOR answered DUPLICATED and `id` is the existing record's. */
  duplicated: boolean;
}

export interface BulkFailed<I> {
  index: number;
  input: I;
  /** JOOR's status (INVALID, NOT_FOUND, ...) or INVALID_RESPONSE when JOOR's answer could not be read. */
  status: string;
  message: string;
  details: Record<string, unknown>;
}

/** The outcome of a bulk call, item by item (indexes are positions in the caller's array). */
export interface BulkResult<I, R> {
  ok: Array<BulkOk<I, R>>;
  failed: Array<BulkFailed<I>>;
}

export function emptyResult<I, R>(): BulkResult<I, R> {
  return { ok: [], failed: [] };
}

/** Adds one call's result, mapping its positions back to the caller's indexes. */
export function mergeInto<I, R>(target: BulkResult<I, R>, part: BulkResult<I, R>, indexOf: (position: number) => number): void {
  for (const ok of part.ok) target.ok.push({ ...ok, index: indexOf(ok.index) });
  for (const failed of part.failed) target.failed.push({ ...failed, index: indexOf(failed.index) });
  target.ok.sort((a, b) => a.index - b.index);
  target.failed.sort((a, b) => a.index - b.index);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

type Parse<R> = (raw: unknown) => { ok: true; value: R } | { ok: false; problem: string };

/**
 * Pairs JOOR's `{data, errors}` with the request items. Errors name their item by
 * `details.index` or `details.external_id`; the records fill the remaining items in request
 * order, matched by external_id when JOOR's count differs. On a create, DUPLICATED becomes an ok
 * item carrying the existing id; on an update (`duplicatedIsOk: false`) it is what it says, a
 * refusal: the change would clash with another record (`details.id`), and nothing was written.
 */
export function pairBulkResponse<I extends object, R extends { id: string; external_id?: string | null }>(
  inputs: readonly I[],
  data: unknown[],
  errors: JoorItemErrorBody[],
  parse: Parse<R>,
  options: { duplicatedIsOk?: boolean } = {},
): BulkResult<I, R> {
  const duplicatedIsOk = options.duplicatedIsOk ?? true;
  const result = emptyResult<I, R>();
  const claimed = new Set<number>();
  const externalIdOf = (input: I): string | undefined => {
    const value = (input as { external_id?: unknown; asset?: { external_id?: unknown } }).external_id ?? (input as { asset?: { external_id?: unknown } }).asset?.external_id;
    return typeof value === 'string' ? value : undefined;
  };
  const indexFor = (details: Record<string, unknown>): number | null => {
    // An XML-born answer may write the position as text ("3").
    const position = typeof details.index === 'string' && /^\d+$/.test(details.index.trim()) ? Number(details.index) : details.index;
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0 && position < inputs.length && !claimed.has(position)) return position;
    if (typeof details.external_id === 'string') {
      const found = inputs.findIndex((input, i) => !claimed.has(i) && externalIdOf(input) === details.external_id);
      if (found >= 0) return found;
    }
    return null;
  };
  const unmatchedErrors: JoorItemErrorBody[] = [];
  for (const error of errors) {
    const index = indexFor(error.details);
    if (index === null) {
      unmatchedErrors.push(error);
      continue;
    }
    claimed.add(index);
    // The existing record's id, opaque like every JOOR id (a string, or an integer read as its text).
    const existingId = normaliseJoorId(error.details.id);
    if (duplicatedIsOk && error.status === 'DUPLICATED' && existingId !== null) {
      result.ok.push({ index, input: inputs[index], id: existingId, record: null, duplicated: true });
    } else {
      result.failed.push({ index, input: inputs[index], status: error.status, message: error.message, details: error.details });
    }
  }
  const open = inputs.map((_, i) => i).filter((i) => !claimed.has(i));
  const parsed = data.map((raw) => parse(raw));
  const byExternal = parsed.length !== open.length;
  parsed.forEach((outcome, position) => {
    let index: number | undefined;
    if (!byExternal) index = open[position];
    else if (outcome.ok && outcome.value.external_id) index = open.find((i) => !claimed.has(i) && externalIdOf(inputs[i]) === outcome.value.external_id);
    if (index === undefined) return;
    claimed.add(index);
    if (outcome.ok) result.ok.push({ index, input: inputs[index], id: outcome.value.id, record: outcome.value, duplicated: false });
    else result.failed.push({ index, input: inputs[index], status: 'INVALID_RESPONSE', message: `JOOR returned an unreadable record: ${outcome.problem}`, details: {} });
  });
  // Items JOOR neither confirmed nor refused: report them rather than assume either way.
  for (const index of inputs.map((_, i) => i).filter((i) => !claimed.has(i))) {
    const error = unmatchedErrors.shift();
    result.failed.push({
      index,
      input: inputs[index],
      status: error?.status ?? 'NO_RESULT',
      message: error?.message ?? 'JOOR returned no result for this item',
      details: error?.details ?? {},
    });
  }
  result.ok.sort((a, b) => a.index - b.index);
  result.failed.sort((a, b) => a.index - b.index);
  return result;
}
