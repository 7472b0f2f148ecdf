// The consumer's logger: pino, JSON lines, with phone numbers and secrets
// redacted by field name, and a bridge that sends effect's logs (with their
// annotations, e.g. topUpId and externalId) to the same pino logger.
import { Cause, HashMap, Layer, List, Logger, LogLevel } from 'effect';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel as ConsumerLogLevel } from '../config/consumer.config';
import { REDACTED_PATHS, REDACTION_CENSOR } from './log.redaction';

export type ConsumerLogger = PinoLogger;

/** A pino logger at `level`, writing to stdout unless a destination is given (tests). */
export const makeLogger = (level: ConsumerLogLevel, destination?: DestinationStream): ConsumerLogger =>
  pino(
    {
      level,
      base: { service: 'airtime-consumer' },
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
export const pinoEffectLogger = (logger: ConsumerLogger): Logger.Logger<unknown, void> =>
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
export const pinoEffectLoggerLayer = (logger: ConsumerLogger): Layer.Layer<never> =>
  Layer.merge(Logger.replace(Logger.defaultLogger, pinoEffectLogger(logger)), Logger.minimumLogLevel(LogLevel.All));
