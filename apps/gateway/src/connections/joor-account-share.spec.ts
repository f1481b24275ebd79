import { joorAccountProblem, type JoorAccountUser } from './joor-account-share';

const user = (id: string, account = 'acct-1', host = 'https://api.jooraccess.com/v4'): JoorAccountUser => ({ id, name: `brand ${id}`, joorV4BaseUrl: host, joorAccountId: account });

describe('joorAccountProblem (one connection per JOOR account)', () => {
  it('lets a connection have an account no other connection has, or the same account id on another JOOR host', () => {
    expect(joorAccountProblem(user('a'), [])).toBeNull();
    expect(joorAccountProblem(user('b'), [user('a', 'acct-2')])).toBeNull();
    expect(joorAccountProblem(user('b'), [user('a', 'acct-1', 'https://apisandbox.jooraccess.com/v4')])).toBeNull();
  });

  it('refuses a second connection on an account, naming the one that keeps it', () => {
    const problem = joorAccountProblem(user('b', ' acct-1', 'https://API.jooraccess.com/v4/'), [user('a')]);
    expect(problem).toContain('JOOR account  acct-1 is already kept by connection "brand a" (a)');
    expect(problem).toContain('delete that connection or change its JOOR account first');
  });

  it('never finds a connection in conflict with itself (an update that keeps its account)', () => {
    expect(joorAccountProblem(user('a'), [user('a'), user('b', 'acct-2')])).toBeNull();
  });
});
