import { AppLogger } from './app-logger';
import { withLogContext, withoutLogContext } from './log-context';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const logger = new AppLogger({ service: 'catalog-sync', level, sink: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('AppLogger (pino)', () => {
  it('writes time, level by name, service, context and message, and the fields of an object message', () => {
    const { logger, parsed } = capture();
    logger.log({ msg: 'run started', kind: 'styles' }, 'SyncRunner');
    const [line] = parsed();
    expect(line).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', service: 'catalog-sync', context: 'SyncRunner', kind: 'styles', msg: 'run started' });
  });

  it('puts the work in hand on every line without the call site passing it, inner context over outer', async () => {
    const { logger, parsed } = capture();
    await withLogContext({ requestId: 'req-1', connectionId: 'c-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await withLogContext({ runId: 'run-1', jobId: 'job-1', queue: 'catalog-sync', jobName: 'catalog.sync', connectionId: 'c-2' }, async () => {
        logger.warn('slow page');
      });
      logger.log('after the job');
    });
    logger.log('outside');
    const [inner, after, outside] = parsed();
    expect(inner).toMatchObject({ requestId: 'req-1', connectionId: 'c-2', runId: 'run-1', jobId: 'job-1', queue: 'catalog-sync', jobName: 'catalog.sync', level: 'warn' });
    expect(after).toMatchObject({ requestId: 'req-1', connectionId: 'c-1' });
    expect(after.runId).toBeUndefined();
    expect(outside.requestId).toBeUndefined();
  });

  it('keeps the stack of an error (a bug) and scrubs secrets from message, stack and fields', () => {
    const { logger, lines, parsed } = capture();
    logger.error(new Error('JOOR refused client_secret=abc123'));
    logger.error('sign-in failed for password=hunter2', 'Error: at token=zzz', 'Joor');
    logger.log({ msg: 'connection saved', amc: { token: 'plain-token' }, url: 'redis://u:pw@host:6379' });
    expect(lines.join('\n')).not.toMatch(/abc123|hunter2|zzz|plain-token|:pw@/);
    const [first, second] = parsed();
    expect((first.err as { stack: string }).stack).toContain('app-logger.spec');
    expect(second).toMatchObject({ level: 'error', context: 'Joor', stack: expect.stringContaining('token=[REDACTED]') });
  });

  it('leaves out what is below its level and demotes Nest boot chatter to debug', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('shown');
    expect(lines).toHaveLength(1);
  });
});

describe('withoutLogContext', () => {
  it('leaves the work in hand out (for what belongs to the process)', () => {
    const lines: string[] = [];
    const logger = new AppLogger({ service: 'gateway', sink: (line) => lines.push(line) });
    withLogContext({ requestId: 'req-9' }, () => withoutLogContext(() => logger.log('Redis is back')));
    expect(JSON.parse(lines[0]).requestId).toBeUndefined();
  });
});
