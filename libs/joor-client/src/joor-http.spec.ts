import { itemErrors, joorMessage } from './joor-http';

describe('joorMessage', () => {
  it('takes JOOR own words from the envelope, then OAuth-style bodies, then the status', () => {
    expect(joorMessage({ data: null, errors: [{ status: 'BULK_LIMIT_EXCEEDED', message: 'At most 100 items', details: {} }] }, 400)).toEqual({
      message: 'At most 100 items',
      joorStatus: 'BULK_LIMIT_EXCEEDED',
    });
    expect(joorMessage({ error: 'invalid_grant', error_description: 'Invalid username or password' }, 401)).toEqual({ message: 'Invalid username or password', joorStatus: null });
    expect(joorMessage(undefined, 502)).toEqual({ message: 'HTTP 502', joorStatus: null });
  });
});

describe('itemErrors', () => {
  it('keeps readable item errors and marks unreadable ones instead of throwing', () => {
    expect(itemErrors([{ status: 'DUPLICATED', message: 'exists', details: { id: 4 } }, 'garbage'])).toEqual([
      { status: 'DUPLICATED', message: 'exists', details: { id: 4 } },
      { status: 'UNKNOWN', message: 'JOOR returned an unreadable error', details: {} },
    ]);
  });
});
