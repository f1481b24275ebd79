import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  it('says once that something stopped, however often it fails, and once that it works again', () => {
    const said: string[] = [];
    const log = new OutageLog({ debug: (m: { msg: string }) => said.push(m.msg) } as never, 'sending mesh events');
    log.recovered();
    for (let i = 0; i < 5; i++) log.failed(new Error(`connect ECONNREFUSED (${i})`));
    expect(log.isDown).toBe(true);
    log.recovered();
    log.recovered();
    log.failed('Error: Connection lost');
    expect(said).toEqual([
      'sending mesh events stopped: connect ECONNREFUSED (0); syncs go on, and run records stay the truth',
      'sending mesh events works again',
      'sending mesh events stopped: Connection lost; syncs go on, and run records stay the truth',
    ]);
  });
});
