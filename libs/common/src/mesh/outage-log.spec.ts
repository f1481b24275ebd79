import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  it('says once that something stopped, however often it fails, and once that it works again', () => {
    const said: string[] = [];
    const log = new OutageLog({ warn: (m: { msg: string }) => said.push(`warn ${m.msg}`), log: (m: { msg: string }) => said.push(`info ${m.msg}`) } as never, 'sending mesh events');
    log.recovered();
    for (let i = 0; i < 5; i++) log.failed(new Error(`connect ECONNREFUSED (${i})`));
    expect(log.isDown).toBe(true);
    log.recovered();
    log.recovered();
    log.failed('Error: Connection lost');
    expect(said).toEqual([
      'warn sending mesh events stopped: connect ECONNREFUSED (0); syncs go on, and run records stay the truth',
      'info sending mesh events works again',
      'warn sending mesh events stopped: Connection lost; syncs go on, and run records stay the truth',
    ]);
  });
});
