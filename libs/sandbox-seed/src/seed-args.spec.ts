import { parseSeedArgs } from './seed-args';

describe('parseSeedArgs', () => {
  it('reads the required and optional flags, in either spelling', () => {
    expect(parseSeedArgs(['--styles', '500', '--seed', '42'])).toEqual({ styles: 500, seed: 42 });
    expect(parseSeedArgs(['--seed=7', '--styles=10', '--customers', '30', '--orders=0', '--now', '2026-01-02T03:04:05Z'])).toEqual({
      styles: 10,
      seed: 7,
      customers: 30,
      orders: 0,
      now: '2026-01-02T03:04:05Z',
    });
  });

  it.each([
    [['--seed', '1'], '--styles is required'],
    [['--styles', '1'], '--seed is required'],
    [['--styles', 'ten', '--seed', '1'], '--styles must be a non-negative integer, got "ten"'],
    [['--styles', '-3', '--seed', '1'], '--styles must be a non-negative integer'],
    [['--styles', '0', '--seed', '1'], '--styles must be from 1 to 25000'],
    [['--styles', '1.5', '--seed', '1'], 'must be a non-negative integer'],
    [['--styles', '5', '--seed'], '--seed needs a value'],
    [['--styles', '--seed', '1'], '--styles needs a value'],
    [['--styles', '5', '--seed', '1', '--style', '3'], 'unknown argument "--style"'],
    [['--styles', '5', '--styles', '6', '--seed', '1'], '--styles given twice'],
    [['--styles', '5', '--seed', '99999999999'], '--seed must be at most 4294967295'],
    [['--styles', '5', '--seed', '1', '--customers', '0'], '--customers must be at least 1'],
    [['--styles', '5', '--seed', '1', '--now', 'yesterday'], '--now must be an ISO UTC date'],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});
