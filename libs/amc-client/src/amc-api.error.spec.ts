import { UnrecoverableError } from 'bullmq';
import { AmcApiError, amcErrorForJob } from './amc-api.error';

const error = (retryable: boolean) => new AmcApiError('AMC GET /products failed (HTTP 401): Invalid token', { status: retryable ? 503 : 401, amcErrors: [], retryable, method: 'GET', path: 'products', attempts: 1 });

describe('amcErrorForJob', () => {
  it('makes a permanent AMC failure unrecoverable, keeping the original as its cause', () => {
    const permanent = error(false);
    const mapped = amcErrorForJob(permanent) as UnrecoverableError & { cause?: unknown };
    expect(mapped).toBeInstanceOf(UnrecoverableError);
    expect(mapped.message).toBe(permanent.message);
    expect(mapped.cause).toBe(permanent);
  });

  it('leaves transient failures and foreign errors for BullMQ to retry', () => {
    const transient = error(true);
    expect(amcErrorForJob(transient)).toBe(transient);
    const other = new Error('boom');
    expect(amcErrorForJob(other)).toBe(other);
  });
});
