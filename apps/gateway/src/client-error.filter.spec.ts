import { BadRequestException } from '@nestjs/common';
import { clientErrorStatus } from './client-error.filter';

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
