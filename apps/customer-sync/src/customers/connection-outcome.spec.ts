import { jobFailed, outcomeOf, pairLog } from './connection-outcome';

describe('reading what JOOR says of each customer', () => {
  it.each([
    ['Updated', 'active'],
    ['Success', 'active'],
    ['Connected', 'active'],
    ['Pending', 'pending'],
    ['queued for review', 'pending'],
    ['Created', 'pending'],
    ['Error', 'failed'],
    ['Error: customer_name is required', 'failed'],
    ['FAILED', 'failed'],
    ['Invalid email', 'failed'],
    ['', 'unknown'],
    ['42', 'unknown'],
    ['Inactive', 'unknown'],
    ['OK', 'active'],
  ])('reads the status %j as %s', (status, outcome) => expect(outcomeOf(status)).toBe(outcome));

  it('knows a job that ended without the work', () => {
    expect([null, 'queued', 'complete', 'Failed', 'cancelled'].map(jobFailed)).toEqual([false, false, false, true, true]);
  });

  it('pairs log entries with the customers sent: by code (exactly, then loosely), else by position when no entry names one', () => {
    const entry = (customer_code: string | null, status = 'Updated') => ({ customer_code, status, message: '' });
    expect(pairLog(['A', 'b', 'C'], [entry('C', 'Pending'), entry('B'), entry('A', 'Error')])).toEqual([entry('A', 'Error'), entry('B'), entry('C', 'Pending')]);
    expect(pairLog(['A', 'B'], [entry(null, 'Pending'), entry(null)])).toEqual([entry(null, 'Pending'), entry(null)]);
    expect(pairLog(['A', 'B'], [entry('A')])).toEqual([entry('A'), undefined]);
    expect(pairLog(['A', 'B'], [])).toEqual([undefined, undefined]);
  });
});
