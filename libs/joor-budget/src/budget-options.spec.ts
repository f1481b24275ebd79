import { BUDGET_DEFAULTS, priorityRank, resolveBudgetOptions } from './budget-options';

describe('resolveBudgetOptions', () => {
  it('gives JOOR production numbers by default', () => {
    const o = resolveBudgetOptions();
    expect(o.creditsPerWindow).toBe(300);
    expect(o.windowMs).toBe(300_000);
    expect(o.cap).toBe(300 - BUDGET_DEFAULTS.safetyCredits);
    // orders 0 %, inventory 10 %, customers 15 %, catalog 20 %, media 25 % of the cap
    expect(o.reserveCredits).toEqual([0, 30, 44, 59, 74]);
  });

  it('keeps the default safety margin within a tenth of a small window', () => {
    expect(resolveBudgetOptions({ creditsPerWindow: 20 }).safetyCredits).toBe(2);
  });

  it('merges a partial reserve with the defaults', () => {
    const o = resolveBudgetOptions({ creditsPerWindow: 100, safetyCredits: 0, reserve: { media: 0.5 } });
    expect(o.reserveCredits).toEqual([0, 10, 15, 20, 50]);
  });

  it('refuses a reserve that lets a lower priority take more than a higher one', () => {
    expect(() => resolveBudgetOptions({ reserve: { inventory: 0.3, customers: 0.1 } })).toThrow(/reserve.customers/);
  });

  it('refuses nonsense numbers', () => {
    expect(() => resolveBudgetOptions({ creditsPerWindow: 0 })).toThrow(/creditsPerWindow/);
    expect(() => resolveBudgetOptions({ creditsPerWindow: 10, safetyCredits: 10 })).toThrow(/safetyCredits/);
    expect(() => resolveBudgetOptions({ windowMs: 4000, marginMs: 2000 })).toThrow(/marginMs/);
    expect(() => resolveBudgetOptions({ reserve: { media: 1 } })).toThrow(/reserve.media/);
  });

  it('ranks priorities highest first', () => {
    expect(['orders', 'inventory', 'customers', 'catalog', 'media'].map((p) => priorityRank(p as never))).toEqual([0, 1, 2, 3, 4]);
    expect(() => priorityRank('bogus' as never)).toThrow(/unknown priority/);
  });
});
