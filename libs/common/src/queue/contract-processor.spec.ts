import { SYNC_QUEUE_NAMES, jobNamesOf } from '@app/contracts';
import { missingHandlers } from './contract-processor';

describe('missingHandlers', () => {
  const handlersFor = (names: string[]) => Object.fromEntries(names.map((name) => [name, async () => undefined]));

  it.each(SYNC_QUEUE_NAMES)('is empty when every job of %s has a handler', (queue) => {
    expect(missingHandlers(queue, handlersFor(jobNamesOf(queue)))).toEqual([]);
  });

  it('names every job without a handler, and non-functions do not count', () => {
    const names = jobNamesOf('order-ingest');
    expect(missingHandlers('order-ingest', {})).toEqual(names);
    expect(missingHandlers('order-ingest', { ...handlersFor(names), 'mesh.canary': 'not a function' })).toEqual(['mesh.canary']);
  });
});
