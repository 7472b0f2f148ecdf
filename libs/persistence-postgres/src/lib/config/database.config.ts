import { Either, ParseResult, Schema } from 'effect';
import { taggedError } from '@airtime/domain';

/** Settings of the PostgreSQL connection, decoded from the environment at start-up. */
export interface DatabaseConfig {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  /** How long a caller waits for a pooled connection. */
  readonly connectTimeoutMs: number;
  /** A session idle inside a transaction longer than this is ended by the server (its locks freed). */
  readonly idleInTransactionTimeoutMs: number;
  readonly migrateOnStart: boolean;
}

/** The environment does not describe a usable database connection. */
export class InvalidDatabaseConfig extends taggedError('InvalidDatabaseConfig', {
  code: 'INVALID_DATABASE_CONFIG',
  retryable: false,
})<{ readonly reason: string }>((e) => `invalid database configuration: ${e.reason}`) {}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const IntegerFromString = (min: number, max: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max));

const Environment = Schema.Struct({
  DATABASE_URL: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^postgres(ql)?:\/\/\S+$/)), {
    default: () => DEFAULT_DATABASE_URL,
  }),
  DATABASE_POOL_SIZE: Schema.optionalWith(IntegerFromString(1, 500), { default: () => 10 }),
  DATABASE_STATEMENT_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(100, 600_000), { default: () => 5_000 }),
  DATABASE_CONNECT_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(100, 600_000), { default: () => 5_000 }),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(1_000, 3_600_000), {
    default: () => 60_000,
  }),
  DATABASE_MIGRATE_ON_START: Schema.optionalWith(Schema.Literal('true', 'false'), { default: () => 'false' as const }),
});

/** What each variable expects, said instead of the decoder's message (which may echo the value, or a password). */
const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  DATABASE_URL: 'expected postgres://user@host:port/database',
  DATABASE_POOL_SIZE: 'expected an integer from 1 to 500',
  DATABASE_STATEMENT_TIMEOUT_MS: 'expected an integer from 100 to 600000 (milliseconds)',
  DATABASE_CONNECT_TIMEOUT_MS: 'expected an integer from 100 to 600000 (milliseconds)',
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'expected an integer from 1000 to 3600000 (milliseconds)',
  DATABASE_MIGRATE_ON_START: 'expected true or false',
};

const expectationOf = (variable: string): string =>
  `${variable}: ${(EXPECTED as Readonly<Record<string, string>>)[variable] ?? 'invalid'}`;

/** A URL with its password replaced, safe for logs and error messages. */
export const redactUrl = (url: string): string =>
  url
    // the password runs to the LAST '@' of the authority (up to the first '/', '?' or '#'), as the WHATWG URL
    // parser (and so the driver) reads it: a password holding a raw '@' is masked whole
    .replace(/(\/\/[^:/@]+:)[^/?#]*@/, '$1***@')
    // a password may also come as a query parameter (pg reads `?password=`)
    .replace(/([?&](?:password|sslpassword|pass|passwd)=)[^&#]*/gi, '$1***');

/** Decodes the database settings; the error names the bad variable, never a secret. */
export const databaseConfigFrom = (
  environment: Record<string, string | undefined>,
): Either.Either<DatabaseConfig, InvalidDatabaseConfig> =>
  Schema.decodeUnknownEither(Environment)(environment, { onExcessProperty: 'ignore', errors: 'all' }).pipe(
    Either.mapLeft(
      (error) =>
        new InvalidDatabaseConfig({
          reason: [
            ...new Set(
              // one line per variable, naming its rule: a decoder's message may echo the value (or a password)
              ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => expectationOf(String(issue.path[0]))),
            ),
          ].join('; '),
        }),
    ),
    Either.map((env) => ({
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      migrateOnStart: env.DATABASE_MIGRATE_ON_START === 'true',
    })),
  );
