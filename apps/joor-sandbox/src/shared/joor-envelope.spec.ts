import { BulkOutcome, bulkItems, checkItem, idList, itemError, JoorHttpError, paging, toId } from './joor-envelope';

describe('checkItem', () => {
  const rules = [
    { field: 'name', kind: 'string' as const, required: true, max: 5 },
    { field: 'price', kind: 'decimal' as const },
    { field: 'when', kind: 'date' as const },
    { field: 'status', kind: 'string' as const, oneOf: ['ACTIVE', 'INACTIVE'] },
  ];

  it('accepts a valid item', () => expect(checkItem({ name: 'abc', price: '10.50', when: '2027-01-31', status: 'ACTIVE' }, rules)).toBeNull());
  it.each([
    [{}, 'name is required'],
    [{ name: '' }, 'name must not be empty'],
    [{ name: 'abcdef' }, 'name is longer than 5 characters'],
    [{ name: 'a', price: 10.5 }, 'price must be a decimal string with at most 2 decimals, e.g. "100.00"'],
    [{ name: 'a', price: '1.005' }, 'price must be a decimal string with at most 2 decimals, e.g. "100.00"'],
    [{ name: 'a', when: '31/01/2027' }, 'when must be a date YYYY-MM-DD'],
    [{ name: 'a', status: 'GONE' }, 'status must be one of ACTIVE, INACTIVE'],
    [[1], 'item must be an object'],
  ])('%j -> %s', (item, message) => expect(checkItem(item, rules)?.message).toBe(message));
});

describe('request helpers', () => {
  it('bulkItems refuses a non-array, an empty array and more than the maximum', () => {
    expect(() => bulkItems({}, 3)).toThrow(JoorHttpError);
    expect(() => bulkItems([], 3)).toThrow(/no items/);
    expect(() => bulkItems([1, 2, 3, 4], 3)).toThrow(/At most 3/);
    expect(bulkItems([1, 2, 3], 3)).toHaveLength(3);
  });

  it('toId and idList take positive integers as numbers or digit strings', () => {
    expect([toId(5), toId('7'), toId(0), toId('x'), toId(1.5)]).toEqual([5, 7, null, null, null]);
    expect(idList('1, 2,3', 'ids')).toEqual([1, 2, 3]);
    expect(idList(undefined, 'ids')).toBeNull();
    expect(() => idList('1,a', 'ids')).toThrow(/comma-separated/);
  });

  it('paging defaults to 100 from 0 and refuses out-of-range values', () => {
    expect(paging({})).toEqual({ limit: 100, offset: 0 });
    expect(() => paging({ limit: '5000' })).toThrow(JoorHttpError);
  });
});

describe('BulkOutcome', () => {
  it('answers records and errors in request order', () => {
    const outcome = new BulkOutcome<string>();
    outcome.succeed(2, 'c');
    outcome.fail(itemError('INVALID', 1, 'bad'));
    outcome.succeed(0, 'a');
    expect(outcome.envelope()).toEqual({ data: ['a', 'c'], errors: [{ status: 'INVALID', message: 'bad', details: { index: 1 } }] });
    expect(outcome.failed(1)).toBe(true);
  });
});
