// A logger that keeps its records, for specs that assert what the bus logged
// (dead letters, refusals, losses) and what it never logs (message bodies).
import type { BusLogger } from '../lib/bus-logger';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface RecordingLogger extends BusLogger {
  readonly records: LogRecord[];
  /** Every record as one line of text (for "never contains" checks). */
  readonly text: () => string;
}

/** A new logger with no records. */
export const recordingLogger = (): RecordingLogger => {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (fields: Readonly<Record<string, unknown>>, message: string): void => {
      records.push({ level, message, fields });
    };
  return {
    records,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => records.map((r) => `${r.level} ${r.message} ${JSON.stringify(r.fields)}`).join('\n'),
  };
};
