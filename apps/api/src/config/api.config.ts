// The API's settings, decoded from the environment once at start with
// effect/Schema: the database and broker settings through their libs'
// decoders, the platform runtime's (provider, log level, clock, callbacks,
// provider callback base URL) through @airtime/platform-runtime, the HTTP
// server's own, the messaging (MESSAGING: RabbitMQ or the in-process bus)
// and the consumer's workers in the API process (API_WORKERS, with the
// consumer's CONSUMER_RETRY_* and CONSUMER_MAX_RETRIES). Every bad variable
// is reported by name with what it expects, never its value (URLs hold
// passwords, keys are secrets). An empty variable counts as unset.
import { type DatabaseConfig, databaseConfigFrom } from '@airtime/persistence-postgres';
import { type MessagingConfig, messagingConfigFrom } from '@airtime/messaging-rabbitmq';
import {
  COMMAND_RETRY_EXPECTED,
  COMMAND_RETRY_FIELDS,
  type CommandRetrySettings,
  commandRetryOf,
  commandRetryProblems,
  callbackBaseUrlOf,
  decodeEnvironment,
  type Env,
  IntegerFromString,
  problemsOf,
  type RuntimeSettings,
  runtimeSettingsFrom,
  withoutEmpty,
} from '@airtime/platform-runtime';
import { Either, Schema } from 'effect';
import { InvalidApiConfig } from './api-config.errors';

/** The HTTP server's own settings. */
export interface ApiHttpSettings {
  /** The address listened on (API_HOST, default 127.0.0.1: loopback only). */
  readonly host: string;
  /** API_PORT (default 8080; 0 picks a free port). */
  readonly port: number;
  /** Where callers reach the API (API_PUBLIC_URL, no trailing slash), shown in the OpenAPI document; default the listened address. */
  readonly publicUrl?: string | undefined;
  /** Requests each API key may make per minute (API_RATE_LIMIT_PER_MINUTE); the next answer is 429 with Retry-After. */
  readonly rateLimitPerMinute: number;
  /**
   * Failed authentications (a presented key refused) each client IP address may have per minute
   * (API_AUTH_FAILURES_PER_MINUTE); past it, a key it presents is answered 429 with Retry-After, without a look-up.
   */
  readonly authFailuresPerMinute: number;
  /** The largest request body read (API_BODY_LIMIT_BYTES); a larger one is 413. */
  readonly bodyLimitBytes: number;
  /**
   * How long a verified API key is remembered (API_KEY_CACHE_MS, 0..5000 ms):
   * a request within it skips the key store; a revoked key is refused at most this long after.
   */
  readonly apiKeyCacheMs: number;
  /** How long a graceful shutdown waits for the requests in flight (API_SHUTDOWN_TIMEOUT_MS). */
  readonly shutdownTimeoutMs: number;
  /**
   * Which proxies' X-Forwarded-For the server believes (API_TRUST_PROXY, Fastify's `trustProxy`):
   * false (default: the peer's address is the client's), true (any), a hop count, or addresses and
   * CIDR ranges. The per-client limit on failed authentications (and the console's sign-ins) counts by
   * that client address: behind a proxy without it, every client would share the proxy's.
   */
  readonly trustProxy: boolean | number | readonly string[];
  /** The console's sessions (/console): idle timeout and absolute lifetime, ms. */
  readonly console: {
    /** CONSOLE_IDLE_TIMEOUT_MS (60000..2592000000, default 1800000: 30 min): unused this long, a session ends. */
    readonly idleTimeoutMs: number;
    /** CONSOLE_SESSION_LIFETIME_MS (60000..2592000000, default 43200000: 12 h): a session ends this long after sign-in. */
    readonly lifetimeMs: number;
  };
}

/** Where the API's commands and events go (MESSAGING). */
export type ApiTransport = 'rabbitmq' | 'in-process';

/**
 * The consumer's workers in the API process (API_WORKERS=true): the top-up
 * command handler fed by the transport's runner, and the scheduler's loops.
 */
export interface ApiWorkerSettings {
  readonly enabled: boolean;
  /**
   * Retries of a command that failed for now, as the consumer's
   * (CONSUMER_RETRY_DELAY_MS, CONSUMER_RETRY_MAX_DELAY_MS, CONSUMER_MAX_RETRIES):
   * the first delay, doubled up to the longest; past `maxRetries` it is dead-lettered.
   */
  readonly retry: CommandRetrySettings;
}

export interface ApiConfig {
  readonly database: DatabaseConfig;
  /** RabbitMQ's settings (AMQP_*), used when `transport` is `rabbitmq`. */
  readonly messaging: MessagingConfig;
  /**
   * MESSAGING: `rabbitmq` (default: the commands exchange, the events
   * exchange) or `in-process` (the in-process bus of the embedded first run:
   * no broker; needs API_WORKERS=true, since no other process reads it).
   */
  readonly transport: ApiTransport;
  readonly workers: ApiWorkerSettings;
  readonly runtime: RuntimeSettings;
  readonly http: ApiHttpSettings;
}

const PublicUrl = Schema.transform(
  Schema.String.pipe(Schema.filter((text) => callbackBaseUrlOf(text) !== undefined)),
  Schema.String,
  { strict: true, decode: (text) => callbackBaseUrlOf(text) ?? text, encode: (text) => text },
);

const Environment = Schema.Struct({
  API_HOST: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9.:-]{1,253}$/)), {
    default: () => '127.0.0.1',
  }),
  API_PORT: Schema.optionalWith(IntegerFromString(0, 65_535), { default: () => 8080 }),
  API_PUBLIC_URL: Schema.optional(PublicUrl),
  API_RATE_LIMIT_PER_MINUTE: Schema.optionalWith(IntegerFromString(1, 1_000_000), { default: () => 1_200 }),
  API_AUTH_FAILURES_PER_MINUTE: Schema.optionalWith(IntegerFromString(1, 1_000_000), { default: () => 60 }),
  API_BODY_LIMIT_BYTES: Schema.optionalWith(IntegerFromString(1_024, 1_048_576), { default: () => 65_536 }),
  API_KEY_CACHE_MS: Schema.optionalWith(IntegerFromString(0, 5_000), { default: () => 5_000 }),
  API_SHUTDOWN_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(0, 600_000), { default: () => 10_000 }),
  API_TRUST_PROXY: Schema.optionalWith(
    Schema.String.pipe(Schema.pattern(/^(?:true|false|[0-9]{1,2}|[0-9A-Fa-f.:/]+(?:,[0-9A-Fa-f.:/]+)*)$/)),
    { default: () => 'false' },
  ),
  CONSOLE_IDLE_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(60_000, 2_592_000_000), { default: () => 1_800_000 }),
  CONSOLE_SESSION_LIFETIME_MS: Schema.optionalWith(IntegerFromString(60_000, 2_592_000_000), {
    default: () => 43_200_000,
  }),
  MESSAGING: Schema.optionalWith(Schema.Literal('rabbitmq', 'in-process'), { default: () => 'rabbitmq' as const }),
  API_WORKERS: Schema.optionalWith(Schema.Literal('true', 'false'), { default: () => 'false' as const }),
  ...COMMAND_RETRY_FIELDS,
});

/** What each of the API's own variables must look like (the schema's messages could echo a value). */
const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  API_HOST: 'expected a host name or IP address',
  API_PORT: 'expected an integer from 0 to 65535 (0: any free port)',
  API_PUBLIC_URL: 'expected an http(s) URL with no credentials, query or fragment (e.g. https://api.example.com)',
  API_RATE_LIMIT_PER_MINUTE: 'expected an integer from 1 to 1000000',
  API_AUTH_FAILURES_PER_MINUTE: 'expected an integer from 1 to 1000000',
  API_BODY_LIMIT_BYTES: 'expected an integer from 1024 to 1048576',
  API_KEY_CACHE_MS: 'expected an integer from 0 to 5000',
  API_SHUTDOWN_TIMEOUT_MS: 'expected an integer from 0 to 600000',
  API_TRUST_PROXY: 'expected true, false, a hop count (0-99) or comma-separated IP addresses or CIDR ranges',
  CONSOLE_IDLE_TIMEOUT_MS: 'expected an integer from 60000 to 2592000000 (milliseconds: 1 minute to 30 days)',
  CONSOLE_SESSION_LIFETIME_MS: 'expected an integer from 60000 to 2592000000 (milliseconds: 1 minute to 30 days)',
  MESSAGING: 'expected rabbitmq or in-process',
  API_WORKERS: 'expected true or false',
  ...COMMAND_RETRY_EXPECTED,
};

/** API_TRUST_PROXY as Fastify's `trustProxy` takes it. */
const trustProxyOf = (text: string): boolean | number | readonly string[] => {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^[0-9]+$/.test(text)) return Number(text);
  return text.split(',');
};

/** The rules between the API's own variables. */
const crossChecked = (settings: typeof Environment.Type): Either.Either<typeof Environment.Type, readonly string[]> => {
  const problems = [
    ...(settings.MESSAGING === 'in-process' && settings.API_WORKERS !== 'true'
      ? ['MESSAGING: in-process needs API_WORKERS=true (no other process reads the in-process bus)']
      : []),
    ...commandRetryProblems(settings),
  ];
  return problems.length === 0 ? Either.right(settings) : Either.left(problems);
};

/** The names of the API's own variables (besides DATABASE_*, AMQP_* and the runtime's). */
export const API_VARIABLES: readonly string[] = Object.keys(Environment.fields);

/**
 * Decodes every setting of the API; `InvalidApiConfig` lists every bad
 * variable at once (database, broker, runtime and provider, the API's own).
 */
export const apiConfigFrom = (environment: Env): Either.Either<ApiConfig, InvalidApiConfig> => {
  const env = withoutEmpty(environment);
  const database = databaseConfigFrom(env);
  const messaging = messagingConfigFrom(env);
  const runtime = runtimeSettingsFrom(env);
  const own = Either.flatMap(decodeEnvironment(Environment, EXPECTED)(env), crossChecked);
  if (Either.isRight(database) && Either.isRight(messaging) && Either.isRight(runtime) && Either.isRight(own)) {
    const settings = own.right;
    return Either.right({
      database: database.right,
      messaging: messaging.right,
      transport: settings.MESSAGING,
      workers: {
        enabled: settings.API_WORKERS === 'true',
        retry: commandRetryOf(settings),
      },
      runtime: runtime.right,
      http: {
        host: settings.API_HOST,
        port: settings.API_PORT,
        publicUrl: settings.API_PUBLIC_URL,
        rateLimitPerMinute: settings.API_RATE_LIMIT_PER_MINUTE,
        authFailuresPerMinute: settings.API_AUTH_FAILURES_PER_MINUTE,
        bodyLimitBytes: settings.API_BODY_LIMIT_BYTES,
        apiKeyCacheMs: settings.API_KEY_CACHE_MS,
        shutdownTimeoutMs: settings.API_SHUTDOWN_TIMEOUT_MS,
        trustProxy: trustProxyOf(settings.API_TRUST_PROXY),
        console: {
          idleTimeoutMs: settings.CONSOLE_IDLE_TIMEOUT_MS,
          lifetimeMs: settings.CONSOLE_SESSION_LIFETIME_MS,
        },
      },
    });
  }
  const problems = [
    ...(Either.isLeft(database) ? problemsOf(database.left.reason) : []),
    ...(Either.isLeft(messaging) ? problemsOf(messaging.left.reason) : []),
    ...(Either.isLeft(runtime) ? runtime.left : []),
    ...(Either.isLeft(own) ? own.left : []),
  ];
  return Either.left(new InvalidApiConfig({ problems }));
};
