import type { NextFunction, Request, Response } from 'express';
import { basicAuth } from './basic-auth.middleware';
import { safeEqual } from './safe-equal';

describe('safeEqual', () => {
  it('compares strings of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});

describe('basicAuth', () => {
  function call(authorization?: string) {
    const res = {
      statusCode: 200,
      headers: {} as Record<string, string>,
      setHeader(k: string, v: string) {
        this.headers[k] = v;
      },
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      send: jest.fn(),
    };
    const next = jest.fn() as NextFunction;
    basicAuth('ops', 'pw:with:colons')({ headers: { authorization } } as Request, res as unknown as Response, next);
    return { res, next };
  }
  const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('lets the right user through', () => {
    expect(call(header('ops', 'pw:with:colons')).next).toHaveBeenCalled();
  });

  it.each([[undefined], [header('ops', 'wrong')], [header('other', 'pw:with:colons')], ['Bearer x']])('challenges %s', (authorization) => {
    const { res, next } = call(authorization);
    expect(next).not.toHaveBeenCalled();
    expect(res.statusCode).toBe(401);
    expect(res.headers['WWW-Authenticate']).toMatch(/^Basic/);
  });
});
