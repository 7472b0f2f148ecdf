// A logger that keeps its records, for specs that assert what an adapter
// logged (dead letters, refusals, state changes, backpressure) and what it
// never logs (message bodies, passwords). It has pino's `(fields, message)`
// shape, so it stands in for the in-process bus's and the RabbitMQ
// adapter's loggers alike.

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Writes one record at a level (pino's argument order). */
type LogAt = (fields: Readonly<Record<string, unknown>>, message: string) => void;

export interface RecordingLogger {
  readonly debug: LogAt;
  readonly info: LogAt;
  readonly warn: LogAt;
  readonly error: LogAt;
  /** Every record, in order. */
  readonly records: LogRecord[];
  /** Every record as one line of text (for "never contains" checks). */
  readonly text: () => string;
}

/** A new logger with no records. */
export const recordingLogger = (): RecordingLogger => {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']): LogAt =>
    (fields, message) => {
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
