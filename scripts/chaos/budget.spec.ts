import { budgetProblems, changeKey, stockLatency, type BrandBudgetFigures, type BudgetFigures } from './budget';

const change = (skuId: string, qty: number, at: number) => ({ skuId, qty, at });

describe('stockLatency', () => {
  it('times each change from its making to JOOR showing it', () => {
    const changes = [change('1', 5, 1_000), change('2', 7, 2_000), change('3', 9, 3_000)];
    const shown = new Map([
      [changeKey(changes[0]), 11_000],
      [changeKey(changes[1]), 32_000],
      [changeKey(changes[2]), 8_000],
    ]);
    expect(stockLatency(changes, shown)).toEqual({ made: 3, shown: 3, superseded: 0, p50: 10, p95: 30, max: 30 });
  });

  it('leaves out a change overtaken by a later one of the same SKU before it showed, and keeps one that showed first', () => {
    const first = change('1', 5, 1_000);
    const second = change('1', 6, 4_000);
    const third = change('1', 8, 9_000);
    // The first showed before the second was made; the second never showed before the third came.
    const shown = new Map([
      [changeKey(first), 3_000],
      [changeKey(third), 20_000],
    ]);
    expect(stockLatency([first, second, third], shown)).toEqual({ made: 3, shown: 2, superseded: 1, p50: 2, p95: 11, max: 11 });
  });

  it('counts a change that never showed as made and not shown', () => {
    expect(stockLatency([change('1', 5, 1_000)], new Map())).toMatchObject({ made: 1, shown: 0, superseded: 0, max: NaN });
  });
});

describe('budgetProblems', () => {
  const brand = (over: Partial<BrandBudgetFigures> = {}): BrandBudgetFigures => ({
    brand: 'first brand',
    account: '1',
    joorCalls: 120,
    credits: 900,
    http429: 0,
    saturatedWindows: 3,
    cap: 295,
    windows: 6,
    mostCreditsInAWindow: 296,
    stock: { made: 12, shown: 11, superseded: 1, p50: 12, p95: 40, max: 44 },
    orders: { made: 4, shown: 4, superseded: 0, p50: 6, max: 12, p95: 12 },
    ordersNotOnce: [],
    missedCalls: 0,
    unshown: [],
    ...over,
  });
  const figures = (...brands: BrandBudgetFigures[]): BudgetFigures => ({ brands, creditLimit: { credits: 300, seconds: 20 } });

  it('finds nothing when every target is kept', () => {
    expect(budgetProblems(figures(brand(), brand({ brand: 'second brand' })))).toEqual([]);
  });

  it('names each target missed, by brand', () => {
    const problems = budgetProblems(
      figures(
        brand({ http429: 2, stock: { made: 12, shown: 10, superseded: 0, p50: 20, p95: 46, max: 50 } }),
        brand({ brand: 'second brand', orders: { made: 4, shown: 3, superseded: 0, p50: 6, p95: 31, max: 31 }, ordersNotOnce: ['6000002 x2'], missedCalls: 5 }),
      ),
    );
    expect(problems).toEqual([
      'first brand: 2 answers 429 from JOOR',
      'first brand: 2 stock change(s) never shown on JOOR',
      'first brand: stock p95 46.0 s > 45 s',
      'second brand: 5 JOOR calls not seen (the call log overflowed), so the 429 count is not complete',
      'second brand: 1 order(s) not in AMC within the trial',
      'second brand: an order took 31.0 s to reach AMC > 30 s',
      'second brand: orders in AMC other than once: 6000002 x2',
    ]);
  });
});
