import type { INestApplication } from '@nestjs/common';
import { TEST_API_KEY, followSse, testConfig } from '@app/testing';
import { startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';
import { startGateway } from '../apps/gateway/test/gateway-app';

const SEED = { styles: 30, seed: 5 };
/** Pages of 5 styles and bulk calls of 10 items: a run of 30 styles has several batches, so several progress events. */
const TUNING = { stylesPerPage: 5, bulkMax: 10 };
const KEY = { 'x-api-key': TEST_API_KEY };

describe('run streams: Server-Sent Events from the run record and the mesh events (gateway, catalog-sync, both sandboxes)', () => {
  jest.setTimeout(120_000);
  let stack: CatalogStack;
  let gateway: INestApplication;
  let url: string;
  let finishedRunId: string;
  let closed = false;

  beforeAll(async () => {
    stack = await startCatalogStack('streams', SEED, { tuning: TUNING });
    const started = await startGateway(testConfig('gateway', { databaseUrl: stack.db.url, queuePrefix: stack.queuePrefix }));
    gateway = started.app;
    url = started.url.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    if (!closed) await gateway?.close();
    await stack?.close();
  });

  it("a run's stream sends the run's state first, then its progress as it goes, then its end, and ends", async () => {
    const connectionId = await stack.connect('streamed');
    // The run is queued before its job exists, so the stream is surely open before the run starts.
    const run = await stack.recorder.queue(connectionId, 'styles', 'manual', { full: true, styleNumbers: null });
    const stream = await followSse(`${url}/runs/${run.id}/stream`, KEY);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const first = await stream.next(() => true, 'the first message');
    expect(first).toMatchObject({ type: 'state', run: { id: run.id, status: 'queued', progress: { done: 0 } } });

    await stack.enqueue('catalog.sync', { connectionId, runId: run.id, trigger: 'manual', full: true }, { jobId: `streamed-${run.id}` });
    const messages = await stream.end(100_000);
    const types = messages.map((m) => m.type);
    expect(types[0]).toBe('state');
    expect(types.at(-1)).toBe('run.finished');
    expect(types.filter((t) => t === 'state')).toHaveLength(1);
    expect(types.indexOf('run.started')).toBeGreaterThan(0);
    const progress = messages.filter((m) => m.type === 'run.progress');
    // One at every batch boundary: more than one page of styles, so more than one.
    expect(progress.length).toBeGreaterThan(SEED.styles / TUNING.stylesPerPage);
    expect(types.indexOf('run.progress')).toBeGreaterThan(types.indexOf('run.started'));
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);

    const record = (await stack.recorder.findById(run.id))!;
    expect(record.status).toBe('partial');
    const end = messages.at(-1)!;
    expect(end).toMatchObject({
      runId: run.id,
      connectionId,
      kind: 'styles',
      status: 'partial',
      error: null,
      done: record.progressDone,
      total: record.progressTotal,
      counts: { created: record.countCreated, updated: record.countUpdated, unchanged: record.countUnchanged, failed: record.countFailed },
      credits: record.creditsSpent,
    });
    expect(progress.at(-1)).toMatchObject({ done: record.progressDone, credits: record.creditsSpent });
    expect(record.progressDone).toBe(SEED.styles);
    finishedRunId = run.id;
  });

  it('the stream of a run that has ended sends its final state and ends', async () => {
    const stream = await followSse(`${url}/runs/${finishedRunId}/stream`, KEY);
    const messages = await stream.end();
    const shown = (await (await fetch(`${url}/runs/${finishedRunId}`, { headers: KEY })).json()) as { status: string };
    expect(messages).toEqual([{ type: 'state', run: shown }]);
    expect(shown.status).toBe('partial');
  });

  it('a lost event loses no state: a run that ends without a word on the mesh still ends its stream, with the state on its record', async () => {
    const connectionId = await stack.connect('unheard');
    const run = await stack.recorder.queue(connectionId, 'styles', 'manual', {});
    const stream = await followSse(`${url}/runs/${run.id}/stream`, KEY);
    await stream.next((m) => m.type === 'state', 'the first state');
    // Written straight to the record: no process sends an event about it.
    await stack.recorder.finish(run.id, 'failed', 'ended where nobody said so');
    const messages = await stream.end();
    expect(messages.map((m) => m.type)).toEqual(['state', 'state']);
    expect(messages[1].run).toMatchObject({ id: run.id, status: 'failed', error: 'ended where nobody said so' });
  });

  it('needs the API key, and answers 404 for a run or a connection that does not exist', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await fetch(`${url}/runs/${finishedRunId}/stream`)).status).toBe(401);
    expect((await fetch(`${url}/runs/${finishedRunId}/stream`, { headers: { 'x-api-key': 'wrong-key-0123456789' } })).status).toBe(401);
    const missingRun = await fetch(`${url}/runs/${unknown}/stream`, { headers: KEY });
    expect(missingRun.status).toBe(404);
    expect(await missingRun.json()).toMatchObject({ message: `no run ${unknown}` });
    expect((await fetch(`${url}/connections/${unknown}/stream`, { headers: KEY })).status).toBe(404);
  });

  it("a connection's stream starts with its state and stays open; the gateway's shutdown ends it", async () => {
    const connectionId = await stack.connect('followed');
    const stream = await followSse(`${url}/connections/${connectionId}/stream`, KEY);
    const first = await stream.next(() => true, 'the first message');
    expect(first).toMatchObject({ type: 'state', connection: { id: connectionId, name: 'followed', pausedAt: null }, runs: [] });
    expect(stream.ended).toBe(false);
    closed = true;
    await gateway.close();
    await stream.end();
  });
});
