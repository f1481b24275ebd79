import { missingHandlers } from './contract-processor';

describe('missingHandlers', () => {
  it('is empty when every job of the contract has a handler', () => {
    expect(missingHandlers('catalog-sync', { 'mesh.canary': async () => undefined })).toEqual([]);
  });

  it('names the jobs without a handler', () => {
    expect(missingHandlers('order-ingest', {})).toEqual(['mesh.canary']);
    expect(missingHandlers('order-ingest', { 'mesh.canary': 'not a function' })).toEqual(['mesh.canary']);
  });
});
