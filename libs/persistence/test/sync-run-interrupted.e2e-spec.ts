import { DataSource } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { buildDataSourceOptions, ConnectionEntity, ConnectionRepository, SecretCipher, SyncEventEntity, SyncRunEntity, SyncRunRepository } from '@app/persistence';
import { createPlaceholderConnection, createTestDatabase, type TestDatabase } from '@app/testing';

/** A run cut off (its process killed, its job lost in an outage) is ended by the next run of its kind, not left `running`. */
describe('SyncRunRepository.endInterrupted (e2e, real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runs: SyncRunRepository;
  let connectionId: string;

  beforeAll(async () => {
    db = await createTestDatabase('run_interrupted');
    dataSource = new DataSource(buildDataSourceOptions(db.url, { applicationName: 'run-interrupted-test' }));
    await dataSource.initialize();
    runs = new SyncRunRepository(dataSource.getRepository(SyncRunEntity), dataSource.getRepository(SyncEventEntity), dataSource);
    const connections = new ConnectionRepository(dataSource.getRepository(ConnectionEntity), new SecretCipher(randomBytes(32)));
    const connection = await createPlaceholderConnection(connections, 'interrupted');
    connectionId = connection.id;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('fails the other running runs of the kind with a plain reason and an event, and leaves every other run alone', async () => {
    const cutOff = await runs.queue(connectionId, 'inventory', 'schedule');
    await runs.start(cutOff.id);
    const otherKind = await runs.queue(connectionId, 'styles', 'manual');
    await runs.start(otherKind.id);
    const waiting = await runs.queue(connectionId, 'inventory', 'manual');
    const taking = await runs.queue(connectionId, 'inventory', 'schedule');

    expect(await runs.endInterrupted(connectionId, 'inventory', taking.id)).toEqual([cutOff.id]);

    const after = async (id: string) => (await runs.findById(id))!;
    expect(await after(cutOff.id)).toMatchObject({ status: 'failed', error: expect.stringContaining(`interrupted: its worker stopped`) });
    expect((await after(cutOff.id)).finishedAt).not.toBeNull();
    expect((await after(otherKind.id)).status).toBe('running');
    expect((await after(waiting.id)).status).toBe('queued');
    expect((await after(taking.id)).status).toBe('queued');
    expect(await runs.countEvents(cutOff.id, 'error')).toBe(1);
    // Nothing left to end: a second call changes nothing.
    expect(await runs.endInterrupted(connectionId, 'inventory', taking.id)).toEqual([]);
  });

  it('lets a run that was ended so come back when its own job resumes it', async () => {
    const resumed = await runs.queue(connectionId, 'customers', 'manual');
    await runs.start(resumed.id);
    const other = await runs.queue(connectionId, 'customers', 'schedule');
    await runs.endInterrupted(connectionId, 'customers', other.id);
    await runs.start(resumed.id);
    await runs.finish(resumed.id, 'succeeded');
    expect(await runs.findById(resumed.id)).toMatchObject({ status: 'succeeded', error: null });
  });

  it('answers whether PostgreSQL answers', async () => {
    expect(await runs.ping()).toBe(true);
  });
});
