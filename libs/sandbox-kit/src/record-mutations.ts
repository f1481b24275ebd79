/**
 * One record of a list answer made wrong, the ways a real API's data goes wrong: ids missing or of
 * the wrong type, strings where numbers belong, enormous values, control characters and broken
 * UTF-8, nested lists of the wrong shape, a record that is not an object, a key given twice. The
 * list is the first array of objects in the answer (AMC's `response`, JOOR's `data`, a v2 feed's
 * `orders.order`, or the answer itself); the rest of the answer is left as the route wrote it.
 */
export const RECORD_MUTATIONS = [
  'missing-id',
  'null-id',
  'object-id',
  'negative-id',
  'huge-id',
  'number-as-word',
  'number-as-boolean',
  'number-as-object',
  'huge-number',
  'negative-number',
  'nan',
  'string-as-number',
  'string-as-array',
  'huge-string',
  'control-chars',
  'lone-surrogate',
  'date-garbage',
  'nested-null',
  'nested-as-string',
  'null-record',
  'record-as-string',
  'record-as-array',
  'empty-record',
  'duplicated-key',
  'broken-utf8',
] as const;
export type RecordMutation = (typeof RECORD_MUTATIONS)[number];

const ID_KEYS = ['product_id', 'sku_id', 'customer_id', 'order_id', 'id'];
/** Stands in for a value the raw text then replaces (a key given twice, bytes that are not UTF-8). */
const MARK = '\u0001mangle\u0001';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first array of objects, breadth first; the root itself when it is one. */
function findRecords(root: Json): Json[] | null {
  const queue: Json[] = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (Array.isArray(node)) {
      if (node.some(isObject)) return node;
      queue.push(...node);
    } else if (isObject(node)) queue.push(...Object.values(node));
  }
  return null;
}

const idKeyOf = (r: JsonObject) => ID_KEYS.find((k) => k in r) ?? null;
const isNumeric = (v: Json) => typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
/** A field that is not the id: the first holding a number (or a number as text), or text, or a list. */
function fieldOf(r: JsonObject, want: 'number' | 'text' | 'list' | 'date'): string | null {
  const id = idKeyOf(r);
  const keys = Object.keys(r).filter((k) => k !== id);
  if (want === 'number') return keys.find((k) => isNumeric(r[k]) && k !== id) ?? null;
  if (want === 'text') return keys.find((k) => typeof r[k] === 'string' && !isNumeric(r[k])) ?? null;
  if (want === 'date') return keys.find((k) => /time|date/i.test(k)) ?? null;
  return keys.find((k) => Array.isArray(r[k])) ?? null;
}

/** How many records the answer's first list holds (0 when it is not JSON or has none). */
export function countRecords(body: Buffer): number {
  try {
    return findRecords(JSON.parse(body.toString('utf8')) as Json)?.length ?? 0;
  } catch {
    return 0;
  }
}

export interface MangleResult {
  body: Buffer;
  /** What was done, for the call log and the test that asked for it ("number-as-word: price of record 2"). */
  applied: string;
}

/** The answer with record `index` (of its first list) changed by `mutation`; the body unchanged when there is nothing to change. */
export function mangleAnswer(body: Buffer, mutation: RecordMutation, index: number): MangleResult {
  let root: Json;
  try {
    root = JSON.parse(body.toString('utf8')) as Json;
  } catch {
    return { body, applied: 'none: the answer is not JSON' };
  }
  const records = findRecords(root);
  if (!records || records.length === 0) return { body, applied: 'none: no list of records in the answer' };
  const at = Math.min(Math.max(0, index), records.length - 1);
  const record = records[at];
  if (!isObject(record)) return { body, applied: 'none: the record is not an object' };
  const id = idKeyOf(record);
  const set = (key: string | null, value: Json): string => {
    if (key === null) return 'none: no such field';
    record[key] = value;
    return `${mutation}: ${key} of record ${at}`;
  };
  let raw: ((text: string) => Buffer) | null = null;
  let applied: string;
  switch (mutation) {
    case 'missing-id':
      applied = id ? `${mutation}: ${id} of record ${at}` : 'none: no id';
      if (id) delete record[id];
      break;
    case 'null-id':
      applied = set(id, null);
      break;
    case 'object-id':
      applied = set(id, { value: record[id ?? ''] ?? null });
      break;
    case 'negative-id':
      applied = set(id, -1);
      break;
    case 'huge-id':
      applied = set(id, '9'.repeat(400));
      break;
    case 'number-as-word':
      applied = set(fieldOf(record, 'number'), 'twelve');
      break;
    case 'number-as-boolean':
      applied = set(fieldOf(record, 'number'), true);
      break;
    case 'number-as-object':
      applied = set(fieldOf(record, 'number'), { amount: 1 });
      break;
    case 'huge-number':
      applied = set(fieldOf(record, 'number'), 1e308);
      break;
    case 'negative-number':
      applied = set(fieldOf(record, 'number'), -5);
      break;
    case 'nan':
      applied = set(fieldOf(record, 'number'), 'NaN');
      break;
    case 'string-as-number':
      applied = set(fieldOf(record, 'text'), 12345);
      break;
    case 'string-as-array':
      applied = set(fieldOf(record, 'text'), ['a', 'b']);
      break;
    case 'huge-string':
      applied = set(fieldOf(record, 'text'), 'x'.repeat(1_000_000));
      break;
    case 'control-chars':
      applied = set(fieldOf(record, 'text'), 'bad\u0000text\u0007\u001b[31m');
      break;
    case 'lone-surrogate':
      applied = set(fieldOf(record, 'text'), 'broken \ud800 text');
      break;
    case 'date-garbage':
      applied = set(fieldOf(record, 'date'), 'yesterday-ish');
      break;
    case 'nested-null':
      applied = set(fieldOf(record, 'list'), null);
      break;
    case 'nested-as-string':
      applied = set(fieldOf(record, 'list'), 'lines');
      break;
    case 'null-record':
      records[at] = null;
      applied = `${mutation}: record ${at}`;
      break;
    case 'record-as-string':
      records[at] = 'record';
      applied = `${mutation}: record ${at}`;
      break;
    case 'record-as-array':
      records[at] = Object.values(record);
      applied = `${mutation}: record ${at}`;
      break;
    case 'empty-record':
      records[at] = {};
      applied = `${mutation}: record ${at}`;
      break;
    case 'duplicated-key': {
      // JSON.parse keeps the last of two equal keys: the first carries a wrong value, the second the real one.
      if (!id) {
        applied = 'none: no id';
        break;
      }
      const real = JSON.stringify(record[id]);
      record[id] = MARK;
      raw = (text) => Buffer.from(text.replace(JSON.stringify(MARK), `"duplicate","${id}":${real}`), 'utf8');
      applied = `${mutation}: ${id} of record ${at}`;
      break;
    }
    case 'broken-utf8': {
      const key = fieldOf(record, 'text');
      if (!key) {
        applied = 'none: no text field';
        break;
      }
      record[key] = `${String(record[key])}${MARK}`;
      raw = (text) => {
        // MARK sits inside a string, where JSON.stringify escaped its control characters.
        const [before, after] = text.split(JSON.stringify(MARK).slice(1, -1));
        return Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(after, 'utf8')]);
      };
      applied = `${mutation}: ${key} of record ${at}`;
      break;
    }
  }
  const text = JSON.stringify(root);
  return { body: raw ? raw(text) : Buffer.from(text, 'utf8'), applied };
}
