import { AmcApiError } from '@app/amc-client';
import { isStoreUnreachable } from './run-errors';

describe('isStoreUnreachable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['PostgreSQL starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['TypeORM wrapping the driver error', Object.assign(new Error('query failed'), { driverError: withCode('08006') })],
    ['an error whose cause is the outage', Object.assign(new Error('could not record'), { cause: withCode('ECONNRESET') })],
  ])('%s is an outage', (_label, err) => {
    expect(isStoreUnreachable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a plain error', new Error('style ST-1 has no SKUs')],
    ['nothing', undefined],
  ])('%s is not', (_label, err) => {
    expect(isStoreUnreachable(err)).toBe(false);
  });

  it("never counts AMC's or JOOR's own errors, whatever their code says", () => {
    const amc = Object.create(AmcApiError.prototype) as AmcApiError;
    Object.assign(amc, { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(isStoreUnreachable(amc)).toBe(false);
  });
});
