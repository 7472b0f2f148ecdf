import { Either, ParseResult, Schema } from 'effect';
import { InvalidMessagingConfig } from '../shared/messaging.errors';

/** Settings of the RabbitMQ connection and its clients, decoded from the environment at start-up. */
export interface MessagingConfig {
  /** `amqp://user:password@host:port/vhost`; log it only through `redactAmqpUrl`. */
  readonly url: string;
  /** Prefix of every exchange and queue name (see `topologyFor`). */
  readonly topologyPrefix: string;
  /** Unacknowledged deliveries a consumer holds at once (AMQP basic.qos, per consumer). */
  readonly prefetch: number;
  /** How long a publish may wait for an open channel, a drained write buffer and the broker's confirm. */
  readonly confirmTimeoutMs: number;
  /** TCP connect and AMQP handshake timeout. */
  readonly connectTimeoutMs: number;
  /** AMQP heartbeat: a silent connection is considered dead after about twice this. */
  readonly heartbeatSeconds: number;
  /** Bounds of the exponential reconnect backoff. */
  readonly reconnectMinDelayMs: number;
  readonly reconnectMaxDelayMs: number;
  /** How long a graceful shutdown waits for in-flight handlers. */
  readonly shutdownTimeoutMs: number;
  /**
   * How long an app's start waits for a broker it cannot reach before it fails
   * with one line (AMQP_START_TIMEOUT_MS, default 30 s; 0: one attempt; a
   * refused login fails at once). Once connected, reconnects never give up.
   */
  readonly startTimeoutMs: number;
}

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Each integer setting's bounds (inclusive) and default. */
const INTEGER_SETTINGS = {
  AMQP_PREFETCH: { min: 1, max: 65_535, fallback: 50 },
  AMQP_CONFIRM_TIMEOUT_MS: { min: 100, max: 600_000, fallback: 10_000 },
  AMQP_CONNECT_TIMEOUT_MS: { min: 100, max: 600_000, fallback: 10_000 },
  AMQP_HEARTBEAT_SECONDS: { min: 1, max: 600, fallback: 15 },
  AMQP_RECONNECT_MIN_DELAY_MS: { min: 10, max: 600_000, fallback: 200 },
  AMQP_RECONNECT_MAX_DELAY_MS: { min: 10, max: 600_000, fallback: 30_000 },
  AMQP_SHUTDOWN_TIMEOUT_MS: { min: 0, max: 600_000, fallback: 30_000 },
  AMQP_START_TIMEOUT_MS: { min: 0, max: 600_000, fallback: 30_000 },
} as const;

type IntegerSetting = keyof typeof INTEGER_SETTINGS;

const integerSetting = (name: IntegerSetting) => {
  const { min, max, fallback } = INTEGER_SETTINGS[name];
  return Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max)), {
    default: () => fallback,
  });
};

const Environment = Schema.Struct({
  AMQP_URL: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^amqps?:\/\/\S+$/)), {
    default: () => DEFAULT_AMQP_URL,
  }),
  AMQP_TOPOLOGY_PREFIX: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)), {
    default: () => 'airtime',
  }),
  AMQP_PREFETCH: integerSetting('AMQP_PREFETCH'),
  AMQP_CONFIRM_TIMEOUT_MS: integerSetting('AMQP_CONFIRM_TIMEOUT_MS'),
  AMQP_CONNECT_TIMEOUT_MS: integerSetting('AMQP_CONNECT_TIMEOUT_MS'),
  AMQP_HEARTBEAT_SECONDS: integerSetting('AMQP_HEARTBEAT_SECONDS'),
  AMQP_RECONNECT_MIN_DELAY_MS: integerSetting('AMQP_RECONNECT_MIN_DELAY_MS'),
  AMQP_RECONNECT_MAX_DELAY_MS: integerSetting('AMQP_RECONNECT_MAX_DELAY_MS'),
  AMQP_SHUTDOWN_TIMEOUT_MS: integerSetting('AMQP_SHUTDOWN_TIMEOUT_MS'),
  AMQP_START_TIMEOUT_MS: integerSetting('AMQP_START_TIMEOUT_MS'),
});

/** The URL with its password replaced, safe for logs and error messages. */
export const redactAmqpUrl = (url: string): string =>
  url
    // the password runs to the LAST '@' of the authority (up to the first '/', '?' or '#'), as the WHATWG URL
    // parser (and so the driver) reads it: a password holding a raw '@' is masked whole
    .replace(/(\/\/[^:/@]+:)[^/?#]*@/, '$1***@')
    // a password may also come as a query parameter (pg reads `?password=`)
    .replace(/([?&](?:password|sslpassword|pass|passwd)=)[^&#]*/gi, '$1***');

// a message may echo the value, and a URL value may hold a password: name the rule instead
const EXPECTED: Readonly<Record<string, string>> = {
  AMQP_URL: 'expected amqp://user:password@host:port/vhost (or amqps://)',
  AMQP_TOPOLOGY_PREFIX: 'expected 1 to 64 letters, digits, "_" or "-", starting with a letter or digit',
  ...Object.fromEntries(
    Object.entries(INTEGER_SETTINGS).map(([name, { min, max }]) => [name, `expected an integer from ${min} to ${max}`]),
  ),
};

/** Decodes the messaging settings; the error names every bad variable, never a secret. */
export const messagingConfigFrom = (
  environment: Record<string, string | undefined>,
): Either.Either<MessagingConfig, InvalidMessagingConfig> =>
  Schema.decodeUnknownEither(Environment)(environment, { onExcessProperty: 'ignore', errors: 'all' }).pipe(
    Either.mapLeft(
      (error) =>
        new InvalidMessagingConfig({
          reason: [
            ...new Set(
              ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
                const variable = String(issue.path[0] ?? '');
                return `${issue.path.join('.')}: ${EXPECTED[variable] ?? issue.message}`;
              }),
            ),
          ].join('; '),
        }),
    ),
    Either.flatMap((env) =>
      env.AMQP_RECONNECT_MIN_DELAY_MS > env.AMQP_RECONNECT_MAX_DELAY_MS
        ? Either.left(
            new InvalidMessagingConfig({
              reason: `AMQP_RECONNECT_MIN_DELAY_MS (${env.AMQP_RECONNECT_MIN_DELAY_MS}) must not exceed AMQP_RECONNECT_MAX_DELAY_MS (${env.AMQP_RECONNECT_MAX_DELAY_MS})`,
            }),
          )
        : Either.right(env),
    ),
    Either.flatMap((env) => {
      try {
        new URL(env.AMQP_URL);
        return Either.right(env);
      } catch {
        return Either.left(new InvalidMessagingConfig({ reason: `AMQP_URL: ${EXPECTED['AMQP_URL']}` }));
      }
    }),
    Either.map((env) => ({
      url: env.AMQP_URL,
      topologyPrefix: env.AMQP_TOPOLOGY_PREFIX,
      prefetch: env.AMQP_PREFETCH,
      confirmTimeoutMs: env.AMQP_CONFIRM_TIMEOUT_MS,
      connectTimeoutMs: env.AMQP_CONNECT_TIMEOUT_MS,
      heartbeatSeconds: env.AMQP_HEARTBEAT_SECONDS,
      reconnectMinDelayMs: env.AMQP_RECONNECT_MIN_DELAY_MS,
      reconnectMaxDelayMs: env.AMQP_RECONNECT_MAX_DELAY_MS,
      shutdownTimeoutMs: env.AMQP_SHUTDOWN_TIMEOUT_MS,
      startTimeoutMs: env.AMQP_START_TIMEOUT_MS,
    })),
  );
