import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { MeshEvent, RunProgressEvent } from '@app/contracts';
import { AppConfigModule, AppLogger, MeshEventBus, MeshEvents, MeshEventsModule } from '@app/common';
import { TcpProxy, testConfig, testQueuePrefix, testServices, waitFor } from '@app/testing';

/** A process's mesh events alone (the emitter and the listener), as every service has them. */
async function meshApp(redisUrl: string, queuePrefix: string, logs: string[]): Promise<INestApplication & { heard: MeshEvent[] }> {
  const config = testConfig('catalog-sync', { databaseUrl: 'postgres://unused@127.0.0.1:5432/unused', queuePrefix, redisUrl });
  const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.register(config), MeshEventsModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: new AppLogger({ service: 'mesh-test', level: 'debug', sink: (line) => logs.push(line) }) });
  await app.init();
  const heard: MeshEvent[] = [];
  app.get(MeshEventBus).events$.subscribe((event) => heard.push(event));
  return Object.assign(app, { heard });
}

const progress = (n: number): RunProgressEvent => ({
  runId: `run-${n}`,
  connectionId: 'c0ffee00-0000-4000-8000-000000000001',
  kind: 'styles',
  done: n,
  total: 100,
  counts: { created: n, updated: 0, unchanged: 0, failed: 0 },
  credits: 5 * n,
  at: new Date().toISOString(),
});

describe('mesh events over the Redis transport of @nestjs/microservices (e2e)', () => {
  jest.setTimeout(60_000);
  const logs: string[] = [];
  const prefix = testQueuePrefix('mesh-ev');
  let proxy: TcpProxy;
  /** Through a proxy the test cuts: both sides of a process whose Redis goes away. */
  let cutOff: INestApplication & { heard: MeshEvent[] };
  /** Direct: the rest of the mesh, whose Redis stays. */
  let direct: INestApplication & { heard: MeshEvent[] };
  /** Another deployment (another prefix) on the same Redis. */
  let other: INestApplication & { heard: MeshEvent[] };

  const lines = (text: string) => logs.filter((line) => line.includes(text)).length;

  beforeAll(async () => {
    proxy = TcpProxy.forUrl(testServices().redisUrl, 6379);
    await proxy.start();
    cutOff = await meshApp(proxy.rewrite(testServices().redisUrl), prefix, logs);
    direct = await meshApp(testServices().redisUrl, prefix, logs);
    other = await meshApp(testServices().redisUrl, testQueuePrefix('mesh-ev-other'), logs);
  });

  afterAll(async () => {
    await proxy?.restore();
    for (const app of [cutOff, direct, other]) await app?.close();
    await proxy?.stop();
  });

  it('a listener hears what any process of its deployment sends, typed by name; another deployment hears none of it', async () => {
    const sent = progress(1);
    cutOff.get(MeshEvents).emit('run.progress', sent);
    const heard = await waitFor('the direct listener to hear it', () => direct.heard.find((e) => e.name === 'run.progress' && e.payload.runId === 'run-1'));
    expect(heard).toEqual({ name: 'run.progress', payload: sent });
    await waitFor('the sender’s own listener to hear it', () => cutOff.heard.some((e) => e.name === 'run.progress' && e.payload.runId === 'run-1'));
    // Redis delivered run-1 before it takes the next publish: a listener of the other prefix would have it by the time it hears its own.
    other.get(MeshEvents).emit('connection.paused', { connectionId: 'c0ffee00-0000-4000-8000-000000000002', at: new Date().toISOString() });
    await waitFor('the other deployment to hear its own event', () => other.heard.length > 0);
    expect(other.heard.map((e) => e.name)).toEqual(['connection.paused']);
    expect(direct.heard.map((e) => e.name)).toEqual(['run.progress']);
  });

  it('while Redis is away, emitting neither throws nor waits and the outage is logged once; events flow again when it returns', async () => {
    const events = cutOff.get(MeshEvents);
    await proxy.cut();
    await waitFor('the listener to notice', () => lines('hearing mesh events stopped') === 1);
    for (let n = 100; n < 150; n++) expect(events.emit('run.progress', progress(n))).toBeUndefined();
    await waitFor('the sender to notice', () => lines('sending mesh events stopped') === 1);
    for (let n = 150; n < 200; n++) events.emit('run.progress', progress(n));
    // Let the failures of the second burst come in: still one line each.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines('sending mesh events stopped')).toBe(1);
    expect(lines('hearing mesh events stopped')).toBe(1);
    expect(direct.heard.filter((e) => e.name === 'run.progress' && e.payload.done >= 100)).toEqual([]);

    await proxy.restore();
    let n = 1_000;
    await waitFor(
      'events sent through the restored Redis to be heard everywhere',
      () => {
        events.emit('run.progress', progress(++n));
        return direct.heard.some((e) => e.name === 'run.progress' && e.payload.done >= 1_000) && cutOff.heard.some((e) => e.name === 'run.progress' && e.payload.done >= 1_000);
      },
      30_000,
      200,
    );
    await waitFor('the recovery to be logged', () => lines('sending mesh events works again') === 1 && lines('hearing mesh events works again') === 1);
    expect(lines('sending mesh events stopped')).toBe(1);
  });

  it('closes without waiting on a Redis that is away (every client it made is closed, so the process can exit)', async () => {
    const app = await meshApp(proxy.rewrite(testServices().redisUrl), prefix, logs);
    await proxy.cut();
    await app.close();
    await proxy.restore();
  });
});
