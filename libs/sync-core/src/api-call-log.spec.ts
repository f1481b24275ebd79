import { outages } from '@app/common';
import { ApiCallLog, isOutageStatus } from './api-call-log';

describe('ApiCallLog', () => {
  it('takes JOOR or AMC not answering, or answering 502/503/504, for an outage of that host, and a call that works for its end', () => {
    const joor = ApiCallLog.joor('https://api.jooraccess.com/v4', '1234');
    const amc = ApiCallLog.amc('https://brand.app.apparelmagic.com/api/json');
    joor({ method: 'GET', path: '/products', status: 429, attempt: 1, durationMs: 5, outcome: 'retry', reason: 'HTTP 429' });
    expect(outages.isDown('JOOR api.jooraccess.com')).toBe(false);
    joor({ method: 'GET', path: '/products', status: null, attempt: 2, durationMs: 5, outcome: 'retry', reason: 'fetch failed' });
    amc({ method: 'GET', path: 'products', status: 503, attempt: 1, durationMs: 5, outcome: 'retry', reason: 'HTTP 503 unavailable' });
    expect(outages.isDown('JOOR api.jooraccess.com')).toBe(true);
    expect(outages.isDown('AMC brand.app.apparelmagic.com')).toBe(true);
  });

  it('a refusal (4xx) is the call failing, not the API', () => {
    expect(isOutageStatus(400)).toBe(false);
    expect(isOutageStatus(404)).toBe(false);
    expect(isOutageStatus(429)).toBe(false);
    expect(isOutageStatus(500)).toBe(false);
    expect(isOutageStatus(null)).toBe(true);
    expect(isOutageStatus(503)).toBe(true);
  });
});
