import { createTestDatabase, type TestDatabase } from '@app/testing';
import { startJoorSandbox, type JoorSandboxHarness } from '@app/testing/joor-sandbox-harness';
import { startAmcSandbox, type AmcSandboxApp } from '@app/testing/amc-sandbox-app';

const CONTROL_PATHS = ['/_sandbox/state', '/_sandbox/faults', '/_sandbox/calls'];
const statusOf = async (url: string) => (await fetch(url)).status;

/** A sandbox image started as production answers its API but has no control routes, unless SANDBOX_CONTROL=true (the demos). */
describe('sandbox control routes (e2e)', () => {
  let db: TestDatabase;
  const amcs: AmcSandboxApp[] = [];
  let joor: JoorSandboxHarness;

  beforeAll(async () => {
    db = await createTestDatabase('sandbox_control', { migrate: false });
    joor = await startJoorSandbox('control');
  });

  afterAll(async () => {
    for (const amc of amcs) await amc.close();
    await joor?.close();
    await db?.drop();
  });

  it('the AMC sandbox: none under production, all with SANDBOX_CONTROL=true; its API answers either way', async () => {
    const production = await startAmcSandbox(db.url, { NODE_ENV: 'production' });
    amcs.push(production);
    for (const path of CONTROL_PATHS) expect([path, await statusOf(production.url + path)]).toEqual([path, 404]);
    expect(await statusOf(`${production.url}/api/json/products?token=${production.token}&time=${Math.floor(Date.now() / 1000)}`)).toBe(200);

    const demo = await startAmcSandbox(db.url, { NODE_ENV: 'production', SANDBOX_CONTROL: 'true' });
    amcs.push(demo);
    for (const path of CONTROL_PATHS) expect([path, await statusOf(demo.url + path)]).toEqual([path, 200]);
  });

  it('the JOOR sandbox: the same, over one database through a restart', async () => {
    for (const path of CONTROL_PATHS) expect([path, await statusOf(joor.url + path)]).toEqual([path, 200]);
    joor.config.controlRoutes = false;
    await joor.restart();
    for (const path of CONTROL_PATHS) expect([path, await statusOf(joor.url + path)]).toEqual([path, 404]);
    expect(await statusOf(`${joor.url}/v4/products`)).toBe(401);
  });
});
