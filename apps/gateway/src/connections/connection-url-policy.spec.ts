import { BadRequestException } from '@nestjs/common';
import { assertConnectionUrls, connectionUrlProblems } from './connection-url-policy';

describe('connection URL policy', () => {
  const sandboxes = ['127.0.0.1', 'localhost', 'amc-sandbox', 'joor-sandbox'];

  it('takes https to any host and http only to a listed host', () => {
    expect(connectionUrlProblems({ a: 'https://10.1.2.3/api', b: 'http://amc-sandbox:4001/api/json', c: 'http://LOCALHOST:4002/v4', d: undefined }, sandboxes)).toEqual([]);
    expect(connectionUrlProblems({ a: 'http://10.1.2.3/api', b: 'http://amc-sandbox.evil.example/api', c: 'ftp://localhost/x' }, sandboxes).map((p) => p.field)).toEqual(['a', 'b', 'c']);
  });

  it('takes no http at all with an empty list (production unless set)', () => {
    expect(connectionUrlProblems({ 'amc.baseUrl': 'http://127.0.0.1:4001/api/json' }, [])).toEqual([
      { field: 'amc.baseUrl', errors: ['amc.baseUrl must use https: plain http is allowed only for the hosts in CONNECTION_HTTP_HOSTS'] },
    ]);
  });

  it('throws a 400 naming the field, without the URL', () => {
    let thrown: unknown;
    try {
      assertConnectionUrls({ 'joor.authUrl': 'http://user:hunter2@10.0.0.1/auth/' }, []);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(BadRequestException);
    const response = (thrown as BadRequestException).getResponse();
    expect(response).toMatchObject({ statusCode: 400, message: expect.stringContaining('joor.authUrl must use https') });
    expect(JSON.stringify(response)).not.toContain('hunter2');
  });
});
