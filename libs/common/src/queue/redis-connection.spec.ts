import { redisOptionsFromUrl } from './redis-connection';

describe('redisOptionsFromUrl', () => {
  it('takes the password (and user) from the URL, decoded', () => {
    const options = redisOptionsFromUrl('redis://:p%40ss%2Fword@redis:6379/2');
    expect(options).toMatchObject({ host: 'redis', port: 6379, password: 'p@ss/word', username: undefined, db: 2, tls: undefined });
    expect(redisOptionsFromUrl('redis://app:secret@redis.internal:6380')).toMatchObject({ username: 'app', password: 'secret', port: 6380 });
  });

  it('speaks TLS for rediss://', () => {
    expect(redisOptionsFromUrl('rediss://:pw@redis.internal:6380').tls).toEqual({});
    expect(redisOptionsFromUrl('redis://127.0.0.1:6379')).toMatchObject({ password: undefined, tls: undefined });
  });
});
