import { Writable } from 'node:stream';
import { Effect } from 'effect';
import { makeLogger, pinoEffectLoggerLayer } from './logger';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, stream };
};

describe('the platform logger', () => {
  it('redacts phone numbers and secrets by field name, at the top and nested', () => {
    const { lines, stream } = capture();
    const logger = makeLogger('info', stream);
    logger.info(
      {
        topUpId: 't-1',
        externalId: 'order-1',
        phone_number: '+639171234567',
        request: { phoneNumber: '+639171234567', callback_url: 'https://acme.example/cb?token=abc' },
        config: { dvs: { apiSecret: 'shh' } },
      },
      'top-up created',
    );
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/639171234567|shh|token=abc/);
    expect(lines[0]).toMatchObject({ topUpId: 't-1', externalId: 'order-1', msg: 'top-up created', level: 'info' });
  });

  it('carries effect log annotations (topUpId, externalId) as fields, at pino levels', async () => {
    const { lines, stream } = capture();
    const logger = makeLogger('debug', stream);
    await Effect.runPromise(
      Effect.logWarning('attempt unknown').pipe(
        Effect.annotateLogs({ topUpId: 't-2', externalId: 'order-2' }),
        Effect.zipRight(Effect.logTrace('too fine')),
        Effect.provide(pinoEffectLoggerLayer(logger)),
      ),
    );
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'attempt unknown', topUpId: 't-2', externalId: 'order-2' }),
    ]);
  });
});
