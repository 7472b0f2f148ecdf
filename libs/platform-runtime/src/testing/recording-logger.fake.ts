// A platform logger whose lines are kept, parsed, for tests to read (what
// was logged, and that no phone number or secret was).
import { Writable } from 'node:stream';
import { makeLogger, type PlatformLogger, type PlatformLogLevel } from '../lib/observability/logger';

export interface RecordingLogger {
  readonly logger: PlatformLogger;
  /** Every line logged so far, parsed, in order. */
  readonly lines: Record<string, unknown>[];
}

/** A pino logger of the platform's (redaction included) at `level`, recording its lines. */
export const makeRecordingLogger = (level: PlatformLogLevel = 'info', service?: string): RecordingLogger => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: makeLogger(level, stream, service), lines };
};

/** A logger that writes nothing. */
export const silentLogger = (): PlatformLogger =>
  makeLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
