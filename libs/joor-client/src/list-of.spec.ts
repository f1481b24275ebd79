import { isBlank, listOf } from './list-of';

describe('listOf', () => {
  const a = { order_id: 'T3JkZXI6MQ==' };
  const b = { order_id: 'T3JkZXI6Mg==' };

  it.each([
    ['an array', [a, b]],
    ['a wrapped array', { order: [a, b] }],
    ['an array of wrapped items', [{ order: a }, { order: b }]],
    ['a wrapper within a wrapper', { orders: { order: [a, b] } }],
  ])('reads %s', (_, value) => expect(listOf(value, 'orders', 'order')).toEqual([a, b]));

  it.each([
    ['one wrapped object', { order: a }],
    ['one object, unwrapped', a],
    ['one object in a nested wrapper', { orders: { order: a } }],
    ['an array of one', [a]],
  ])('reads %s as a list of one', (_, value) => expect(listOf(value, 'orders', 'order')).toEqual([a]));

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['a blank string', '  \n'],
    ['an empty object', {}],
    ['an empty array', []],
    ['an empty wrapper', { order: '' }],
    ['a wrapper of null', { order: null }],
    ['a wrapper of an empty array', { order: [] }],
    ['a nested empty wrapper', { orders: { order: {} } }],
  ])('reads %s as empty', (_, value) => expect(listOf(value, 'orders', 'order')).toEqual([]));

  it('opens only the wrappers it is told about and keeps every item as it came (a bad one included)', () => {
    expect(listOf({ line_item: [{ item_upc: '1' }, 7, null] }, 'line_item')).toEqual([{ item_upc: '1' }, 7, null]);
    // Without item keys an object is one item, whatever it holds.
    expect(listOf({ order: [a] })).toEqual([{ order: [a] }]);
    expect(listOf('x')).toEqual(['x']);
    expect(listOf(0)).toEqual([0]);
  });

  it('tries the item keys in order (the v2 inventory log: inventory_log_item, item)', () => {
    expect(listOf({ item: [a] }, 'inventory_log_item', 'item')).toEqual([a]);
    expect(listOf({ inventory_log_item: b }, 'inventory_log_item', 'item')).toEqual([b]);
  });

  it('isBlank: absent, null, blank text and an empty element; never 0, false or a record', () => {
    expect([undefined, null, '', ' ', {}].map(isBlank)).toEqual([true, true, true, true, true]);
    expect([0, false, 'x', [], { a: 1 }].map(isBlank)).toEqual([false, false, false, false, false]);
  });
});
