// The platform's logger (every app's): pino, JSON lines, with phone numbers
// and secrets redacted by field name, and a bridge that sends effect's logs
// (with their annotations, e.g. topUpId and externalId) to the same pino
// logger.
import { Cause, HashMap, Layer, List, Logger, LogLevel } from 'effect';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { REDACTED_PATHS, REDACTION_CENSOR } from './log.redaction';

/** The levels LOG_LEVEL takes (pino's, and `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type PlatformLogLevel = (typeof LOG_LEVELS)[number];

export type PlatformLogger = PinoLogger;

/** The `service` field of the consumer's log lines (the default). */
export const CONSUMER_SERVICE_NAME = 'airtime-consumer';

/**
 * A pino logger at `level`, writing to stdout unless a destination is given
 * (tests); each line carries `service` (default `airtime-consumer`).
 */
export const makeLogger = (
  level: PlatformLogLevel,
  destination?: DestinationStream,
  service: string = CONSUMER_SERVICE_NAME,
): PlatformLogger =>
  pino(
    {
      level,
      base: { service },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTION_CENSOR },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );

type PinoMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const methodOf = (level: LogLevel.LogLevel): PinoMethod | undefined => {
  switch (level._tag) {
    case 'Fatal':
      return 'fatal';
    case 'Error':
      return 'error';
    case 'Warning':
      return 'warn';
    case 'Info':
      return 'info';
    case 'Debug':
      return 'debug';
    case 'Trace':
    case 'All':
      return 'trace';
    case 'None':
      return undefined;
  }
};

const textOf = (message: unknown): string =>
  Array.isArray(message) ? message.map(textOf).join(' ') : typeof message === 'string' ? message : String(message);

/** effect's logs to pino: the level, the message, the annotations and spans as fields, a failure's pretty cause as `cause`. */
export const pinoEffectLogger = (logger: PlatformLogger): Logger.Logger<unknown, void> =>
  Logger.make(({ logLevel, message, annotations, cause, spans }) => {
    const method = methodOf(logLevel);
    if (method === undefined) return;
    const fields: Record<string, unknown> = Object.fromEntries(HashMap.toEntries(annotations));
    const spanNames = List.toArray(spans).map((span) => span.label);
    if (spanNames.length > 0) fields['spans'] = spanNames;
    if (!Cause.isEmpty(cause)) fields['cause'] = Cause.pretty(cause);
    logger[method](fields, textOf(message));
  });

/** The layer that replaces effect's default logger with the pino bridge (every level; pino filters). */
export const pinoEffectLoggerLayer = (logger: PlatformLogger): Layer.Layer<never> =>
  Layer.merge(Logger.replace(Logger.defaultLogger, pinoEffectLogger(logger)), Logger.minimumLogLevel(LogLevel.All));
