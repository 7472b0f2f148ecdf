// The logger the messaging adapter writes to: pino's `(fields, message)`
// shape, so an app passes its pino logger as is. Records name states, kinds
// and counts; never a URL with its password, a message body or a header
// value that came from outside.

/** A structured logger; pino's `Logger` satisfies it. */
export interface MessagingLogger {
  readonly debug: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly info: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly warn: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly error: (fields: Readonly<Record<string, unknown>>, message: string) => void;
}

const ignore = (): void => undefined;

/** Drops every record (the default). */
export const silentLogger: MessagingLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
