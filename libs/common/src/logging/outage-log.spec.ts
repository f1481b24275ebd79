import { isUnreachable, Outages } from './outage-log';

describe('Outages', () => {
  let now = 0;
  let said: Array<{ level: string; fields: Record<string, unknown>; msg: string }>;
  let outages: Outages;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000;
    said = [];
    outages = new Outages(() => now, 2_000);
    outages.useLogger({
      error: ((fields: Record<string, unknown>, msg: string) => said.push({ level: 'error', fields, msg })) as never,
      info: ((fields: Record<string, unknown>, msg: string) => said.push({ level: 'info', fields, msg })) as never,
    });
  });
  afterEach(() => jest.useRealTimers());

  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

  it('says once that a target is down, however many calls fail, and once it is back with how long and how many failed', () => {
    for (let i = 0; i < 50; i++) outages.failed('Redis', refused);
    now = 7_000;
    outages.recovered('Redis');
    outages.recovered('Redis');
    now = 9_000;
    jest.advanceTimersByTime(2_000);
    expect(said).toEqual([
      { level: 'error', fields: { outage: 'Redis', error: 'connect ECONNREFUSED 127.0.0.1:6379' }, msg: 'Redis is down: connect ECONNREFUSED 127.0.0.1:6379' },
      { level: 'info', fields: { outage: 'Redis', downMs: 6_000, failures: 50 }, msg: 'Redis is back after 6.0 s (50 failed calls meanwhile)' },
    ]);
    expect(outages.isDown('Redis')).toBe(false);
  });

  it('treats late failures of other connections after a first "back" as the same outage, ending it once all is quiet', () => {
    outages.failed('Redis', refused);
    now = 5_000;
    outages.recovered('Redis'); // the health client reconnected first
    now = 5_500;
    outages.failed('Redis', refused); // a worker's connection had not yet
    now = 7_000;
    jest.advanceTimersByTime(2_000);
    expect(said.map((s) => s.level)).toEqual(['error']);
    now = 7_500;
    jest.advanceTimersByTime(500);
    expect(said.map((s) => s.level)).toEqual(['error', 'info']);
    expect(said[1].fields).toEqual({ outage: 'Redis', downMs: 4_500, failures: 2 });
  });

  it('keeps targets apart and says nothing of a target that never failed', () => {
    outages.recovered('PostgreSQL');
    outages.failed('JOOR api.jooraccess.com', new Error('HTTP 503'));
    outages.failed('AMC brand.app.apparelmagic.com', new Error('fetch failed'));
    expect(said.map((s) => s.msg)).toEqual(['JOOR api.jooraccess.com is down: HTTP 503', 'AMC brand.app.apparelmagic.com is down: fetch failed']);
    expect(outages.isDown('Redis')).toBe(false);
  });
});

describe('isUnreachable', () => {
  it('knows a store or host that does not answer, through causes and aggregate errors', () => {
    expect(isUnreachable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isUnreachable(new Error('Connection is closed.'))).toBe(true);
    expect(isUnreachable(new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'ETIMEDOUT' }) }))).toBe(true);
    expect(isUnreachable(Object.assign(new AggregateError([Object.assign(new Error('z'), { code: 'ECONNREFUSED' })]), { message: '' }))).toBe(true);
  });

  it('does not take a refusal or a bug for an outage', () => {
    expect(isUnreachable(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isUnreachable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isUnreachable(null)).toBe(false);
  });
});
