import { BUDGET_PRIORITY_NAMES, type BudgetPriorityName } from '@app/contracts';
import { BUDGET_PRIORITIES, type BudgetPriority } from './credit-budget';

// libs/contracts states the priority names itself (it imports no other lib); they must be these.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameNames: Same<BudgetPriority, BudgetPriorityName> = true;

describe('budget priorities', () => {
  it('are the ones libs/contracts names, in the same order (highest first)', () => {
    expect(sameNames).toBe(true);
    expect([...BUDGET_PRIORITIES]).toEqual([...BUDGET_PRIORITY_NAMES]);
  });
});
