// The logger the bus writes to: pino's `(fields, message)` shape (the same
// as the messaging lib's), so an app passes its pino logger as is. Records
// name states, kinds and counts; never a message body or a header value.

/** A structured logger; pino's `Logger` satisfies it. */
export interface BusLogger {
  readonly debug: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly info: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly warn: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly error: (fields: Readonly<Record<string, unknown>>, message: string) => void;
}

const ignore = (): void => undefined;

/** Drops every record (the default). */
export const silentBusLogger: BusLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
