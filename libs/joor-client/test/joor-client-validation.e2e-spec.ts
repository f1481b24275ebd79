import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { RedisCreditBudget } from '@app/joor-budget';
import { testServices } from '@app/testing';
import { SecretCipher } from '@app/util';
import { JoorClient, joorSandboxUrls } from '../src';

/**
 * What JOOR sends back is checked record by record. The sandbox never sends bad records, so a
 * small HTTP server plays a JOOR that does (one good product, one without a name, one with an unreadable id: blank or negative, as any opaque string is a good id).
 */
describe('JoorClient validation of what JOOR sends back', () => {
  let server: Server;
  let redis: Redis;
  let url: string;
  const prefix = `t-joorc-valid-${randomBytes(3).toString('hex')}:`;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/auth/')) return res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600, token_type: 'Bearer' }));
      if (req.url?.startsWith('/v4/products/bulk_create')) {
        return res.end(
          JSON.stringify({
            data: [
              { id: 11, external_id: 'A', name: 'A' },
              { id: '', external_id: 'B', name: 'B' },
            ],
            errors: null,
          }),
        );
      }
      if (req.url?.startsWith('/v4/products')) {
        return res.end(
          JSON.stringify({
            data: [
              { id: 1, external_id: 'A', name: 'Good' },
              { id: 2, external_id: 'B' },
              { id: -3, name: 'Bad id' },
            ],
            errors: [],
            meta: { total: 3, limit: 500, offset: 0 },
          }),
        );
      }
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    redis = new Redis(testServices().redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () =>
    new JoorClient({
      accountId: '42',
      urls: joorSandboxUrls(url),
      credentials: { clientId: 'c', clientSecret: 's', username: 'u', password: 'p', v2Token: 'v2' },
      redis,
      tokenCipher: new SecretCipher(randomBytes(32)),
      budget: new RedisCreditBudget(redis, { keyPrefix: `${prefix}budget` }),
      priority: 'catalog',
      keyPrefix: prefix,
    });

  it('reports bad records of a list beside the good ones instead of failing the read', async () => {
    const listed = await client().listProducts();
    expect(listed.items).toEqual([expect.objectContaining({ id: '1', name: 'Good' })]);
    expect(listed.invalid.map((i) => i.problem)).toEqual([expect.stringContaining('name'), expect.stringContaining('id')]);
  });

  it('turns an unreadable record of a bulk answer into a failed item', async () => {
    const result = await client().createProducts([
      { name: 'A', external_id: 'A', product_identifier: 'A' },
      { name: 'B', external_id: 'B', product_identifier: 'B' },
    ]);
    expect(result.ok.map((o) => o.id)).toEqual(['11']);
    expect(result.failed).toEqual([expect.objectContaining({ index: 1, status: 'INVALID_RESPONSE' })]);
  });
});
