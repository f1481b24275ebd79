import { sandboxControlRoutes } from './control-routes';

describe('sandboxControlRoutes', () => {
  it('is on in development and tests, off under production unless SANDBOX_CONTROL says otherwise', () => {
    expect(sandboxControlRoutes({})).toBe(true);
    expect(sandboxControlRoutes({ NODE_ENV: 'test' })).toBe(true);
    expect(sandboxControlRoutes({ NODE_ENV: 'production' })).toBe(false);
    expect(sandboxControlRoutes({ NODE_ENV: 'production', SANDBOX_CONTROL: 'true' })).toBe(true);
    expect(sandboxControlRoutes({ NODE_ENV: 'development', SANDBOX_CONTROL: 'false' })).toBe(false);
  });

  it('refuses anything but true or false', () => {
    expect(() => sandboxControlRoutes({ SANDBOX_CONTROL: 'yes' })).toThrow('SANDBOX_CONTROL must be true or false (got "yes")');
  });
});
