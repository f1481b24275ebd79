import { BadRequestException, NotFoundException } from '@nestjs/common';
import { clientErrorReason, clientErrorStatus, storeOf } from './client-error.filter';

describe('clientErrorStatus', () => {
  it('knows the 4xx errors body parsing raises', () => {
    expect(clientErrorStatus(Object.assign(new Error('request entity too large'), { status: 413, statusCode: 413, expose: true, type: 'entity.too.large' }))).toBe(413);
    expect(clientErrorStatus(Object.assign(new Error('unsupported charset "X"'), { statusCode: 415, expose: true }))).toBe(415);
  });

  it('leaves Nest’s own exceptions, server errors and plain errors to Nest', () => {
    expect(clientErrorStatus(new BadRequestException('x'))).toBeNull();
    expect(clientErrorStatus(Object.assign(new Error('boom'), { status: 500, expose: false }))).toBeNull();
    expect(clientErrorStatus(new Error('bug'))).toBeNull();
    expect(clientErrorStatus(Object.assign(new Error('hidden'), { status: 400 }))).toBeNull();
    expect(clientErrorStatus(null)).toBeNull();
  });
});

describe('clientErrorReason', () => {
  it('says why, as the answer does: the message, validation messages joined', () => {
    expect(clientErrorReason(new BadRequestException(['name must be longer than or equal to 1 characters', 'amc should not be null or undefined']))).toBe(
      'name must be longer than or equal to 1 characters; amc should not be null or undefined',
    );
    expect(clientErrorReason(new NotFoundException('no connection 42'))).toBe('no connection 42');
  });
});

describe('storeOf', () => {
  const stores = { databaseUrl: 'postgres://db:5433/amc', redisUrl: 'redis://cache:6380' };
  it("tells PostgreSQL's unreachable errors from Redis's", () => {
    expect(storeOf(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5433'), { code: 'ECONNREFUSED', port: 5433 }), stores)).toBe('PostgreSQL');
    expect(storeOf(Object.assign(new Error('connect ECONNREFUSED 10.0.0.2:6380'), { code: 'ECONNREFUSED', port: 6380 }), stores)).toBe('Redis');
    expect(storeOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { name: 'QueryFailedError' }), stores)).toBe('PostgreSQL');
    expect(storeOf(Object.assign(new Error('x'), { driverError: new Error('y') }), stores)).toBe('PostgreSQL');
    expect(storeOf(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), stores)).toBe('PostgreSQL');
    expect(storeOf(new Error('Connection terminated unexpectedly'), stores)).toBe('PostgreSQL');
    expect(storeOf(new Error('Connection is closed.'), stores)).toBe('Redis');
    expect(storeOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), stores)).toBe('Redis');
  });
});
