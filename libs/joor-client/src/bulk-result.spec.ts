import { chunk, emptyResult, mergeInto, pairBulkResponse } from './bulk-result';

type Rec = { id: string; external_id: string | null };
const parse = (raw: unknown) => {
  const r = raw as { id?: unknown; external_id?: unknown };
  return typeof r?.id === 'number' ? { ok: true as const, value: { id: String(r.id), external_id: (r.external_id as string) ?? null } } : { ok: false as const, problem: 'id: missing' };
};

describe('pairBulkResponse', () => {
  const inputs = [{ external_id: 'a' }, { external_id: 'b' }, { external_id: 'c' }, { external_id: 'd' }];

  it('pairs records with the items JOOR did not refuse, in order, and resolves DUPLICATED to the existing id', () => {
    const result = pairBulkResponse<{ external_id: string }, Rec>(
      inputs,
      [
        { id: 1, external_id: 'a' },
        { id: 3, external_id: 'c' },
      ],
      [
        { status: 'DUPLICATED', message: 'exists', details: { index: 1, id: 42 } },
        { status: 'INVALID', message: 'name is longer than 100 characters', details: { external_id: 'd', field: 'name' } },
      ],
      parse,
    );
    expect(result.ok.map((o) => [o.index, o.id, o.duplicated])).toEqual([
      [0, '1', false],
      [1, '42', true],
      [2, '3', false],
    ]);
    expect(result.failed).toEqual([{ index: 3, input: inputs[3], status: 'INVALID', message: 'name is longer than 100 characters', details: { external_id: 'd', field: 'name' } }]);
  });

  it('reports an unreadable record and an item JOOR said nothing about as failed, never as done', () => {
    const result = pairBulkResponse<{ external_id: string }, Rec>(inputs.slice(0, 3), [{ id: 1, external_id: 'a' }, { nope: true }], [], parse);
    expect(result.ok.map((o) => o.index)).toEqual([0]);
    expect(result.failed.map((f) => [f.index, f.status])).toEqual([
      [1, 'NO_RESULT'],
      [2, 'NO_RESULT'],
    ]);
  });

  it('matches records by external_id when their count differs from the open items', () => {
    const result = pairBulkResponse<{ external_id: string }, Rec>(inputs.slice(0, 2), [{ id: 2, external_id: 'b' }], [], parse);
    expect(result.ok.map((o) => [o.index, o.id])).toEqual([[1, '2']]);
    expect(result.failed.map((f) => f.index)).toEqual([0]);
  });

  it('resolves a DUPLICATED to an opaque existing id as it is, and reads a position written as text', () => {
    const opaque = (raw: unknown) => {
      const r = raw as { id?: unknown; external_id?: unknown };
      return typeof r?.id === 'string' ? { ok: true as const, value: { id: r.id, external_id: (r.external_id as string) ?? null } } : { ok: false as const, problem: 'id: missing' };
    };
    const result = pairBulkResponse<{ external_id: string }, Rec>(
      inputs.slice(0, 2),
      [{ id: 'UHJvZHVjdDo3', external_id: 'a' }],
      [{ status: 'DUPLICATED', message: 'exists', details: { index: '1', id: 'UHJvZHVjdDo0Mg==' } }],
      opaque,
    );
    expect(result.failed).toEqual([]);
    expect(result.ok.map((o) => [o.index, o.id, o.duplicated])).toEqual([
      [0, 'UHJvZHVjdDo3', false],
      [1, 'UHJvZHVjdDo0Mg==', true],
    ]);
  });

  it('on an update, DUPLICATED (a clash with another record) is a failure that names the other record', () => {
    const result = pairBulkResponse<{ external_id: string }, Rec>(inputs.slice(0, 1), [], [{ status: 'DUPLICATED', message: 'clash', details: { index: 0, id: 'U0tVOjI=' } }], parse, {
      duplicatedIsOk: false,
    });
    expect(result.ok).toEqual([]);
    expect(result.failed).toEqual([{ index: 0, input: inputs[0], status: 'DUPLICATED', message: 'clash', details: { index: 0, id: 'U0tVOjI=' } }]);
  });

  it('a DUPLICATED without an id stays a failure', () => {
    const result = pairBulkResponse<{ external_id: string }, Rec>(inputs.slice(0, 1), [], [{ status: 'DUPLICATED', message: 'exists', details: { index: 0 } }], parse);
    expect(result.failed.map((f) => f.status)).toEqual(['DUPLICATED']);
  });
});

describe('chunk and mergeInto', () => {
  it('cuts to the maximum and maps positions back to the caller indexes', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    const target = emptyResult<string, Rec>();
    mergeInto(target, { ok: [{ index: 1, input: 'y', id: '9', record: null, duplicated: true }], failed: [{ index: 0, input: 'x', status: 'INVALID', message: '', details: {} }] }, (i) => [7, 3][i]);
    expect(target.ok[0].index).toBe(3);
    expect(target.failed[0].index).toBe(7);
  });
});
