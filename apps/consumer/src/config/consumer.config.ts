// The consumer's settings, decoded from the environment once at start with
// effect/Schema: the database and broker settings through their libs'
// decoders, the provider chosen by PROVIDER, and the consumer's own. Every
// bad variable is reported by name with what it expects, never its value
// (URLs hold passwords, keys are secrets). An empty variable counts as unset.
import { type DatabaseConfig, databaseConfigFrom } from '@airtime/persistence-postgres';
import { type MessagingConfig, messagingConfigFrom } from '@airtime/messaging-rabbitmq';
import { type DvsConfig, dvsConfigFrom } from '@airtime/provider-dtone';
import { Either, ParseResult, Schema } from 'effect';
import { InvalidConsumerConfig } from './consumer-config.errors';

/** The simulator's address when `npm run simulator` runs with its defaults. */
export const LOCAL_SIMULATOR_DVS_URL = 'http://127.0.0.1:8089/v1';

export const PROVIDER_KINDS = ['simulator-http', 'dtone', 'simulator'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * - `simulator-http` (default): the DT One adapter over HTTP pointed at the DVS simulator
 *   (`DTONE_BASE_URL`, default `http://127.0.0.1:8089/v1`);
 * - `dtone`: the DT One adapter against DT One (`DTONE_BASE_URL`, default the preproduction sandbox);
 * - `simulator`: the simulator's engine in-process, no HTTP (benchmarks, first runs).
 */
export type ProviderSettings =
  | { readonly kind: 'simulator-http' | 'dtone'; readonly dvs: DvsConfig }
  | { readonly kind: 'simulator'; readonly timeScale: number };

export interface SchedulerSettings {
  /** Pause between two ticks of each loop. */
  readonly intervalMs: number;
  /** The most top-ups, events or callbacks one tick of a loop handles. */
  readonly batchSize: number;
  /** A non-final top-up untouched this long is recovered (sent, or settled by a status query first). */
  readonly stalledAfterMs: number;
  /** How many top-ups one tick of the due-retry and stalled-recovery loops handles at once. */
  readonly concurrency: number;
}

/** Retries of a command that failed for now (a dependency down), through the retry queue. */
export interface RetrySettings {
  /** The first retry's delay; each next one doubles, up to `maxDelayMs` (drawn in [half, all] of it). */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Retries of one command; the next failure dead-letters it with its reason (30: about 1 to 2 hours). */
  readonly maxRetries: number;
}

export interface ConsumerConfig {
  readonly database: DatabaseConfig;
  readonly messaging: MessagingConfig;
  readonly provider: ProviderSettings;
  /** The inbox's consumer name: message ids are deduplicated per name. */
  readonly consumerName: string;
  readonly retry: RetrySettings;
  readonly metrics: { readonly host: string; readonly port: number };
  readonly logLevel: LogLevel;
  readonly scheduler: SchedulerSettings;
  /** Simulated ms per real ms of the clock the use cases read (1: real time; 60: a minute per second). */
  readonly clockScale: number;
  /**
   * Where the scaled clock's timeline starts (epoch ms) when `clockScale` is not 1: every process
   * given the same origin agrees on "now", across restarts too. Unset: the process's start.
   */
  readonly clockOriginMs?: number | undefined;
  /** The most one POST of a caller's callback may take. */
  readonly callbackTimeoutMs: number;
  /**
   * Accept and send callbacks to hosts that are not public (loopback, private,
   * link-local, `localhost`...), over http or https: local set-ups and tests only.
   */
  readonly allowPrivateCallbackHosts: boolean;
}

const IntegerFromString = (min: number, max: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max));

const Environment = Schema.Struct({
  PROVIDER: Schema.optionalWith(Schema.Literal(...PROVIDER_KINDS), { default: () => 'simulator-http' as const }),
  CONSUMER_NAME: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)), {
    default: () => 'topup-consumer',
  }),
  CONSUMER_RETRY_DELAY_MS: Schema.optionalWith(IntegerFromString(0, 600_000), { default: () => 1_000 }),
  CONSUMER_RETRY_MAX_DELAY_MS: Schema.optionalWith(IntegerFromString(0, 86_400_000), { default: () => 300_000 }),
  CONSUMER_MAX_RETRIES: Schema.optionalWith(IntegerFromString(0, 10_000), { default: () => 30 }),
  METRICS_HOST: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9.:-]{1,253}$/)), {
    default: () => '127.0.0.1',
  }),
  METRICS_PORT: Schema.optionalWith(IntegerFromString(0, 65_535), { default: () => 9464 }),
  LOG_LEVEL: Schema.optionalWith(Schema.Literal(...LOG_LEVELS), { default: () => 'info' as const }),
  SCHEDULER_INTERVAL_MS: Schema.optionalWith(IntegerFromString(10, 3_600_000), { default: () => 1_000 }),
  SCHEDULER_BATCH_SIZE: Schema.optionalWith(IntegerFromString(1, 1_000), { default: () => 100 }),
  STALLED_AFTER_MS: Schema.optionalWith(IntegerFromString(1_000, 7 * 24 * 3_600_000), { default: () => 120_000 }),
  SCHEDULER_CONCURRENCY: Schema.optionalWith(IntegerFromString(1, 1_000), { default: () => 8 }),
  CLOCK_SCALE: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0.001, 1_000_000)), {
    default: () => 1,
  }),
  CLOCK_ORIGIN_MS: Schema.optional(IntegerFromString(0, 8_640_000_000_000_000)),
  SIMULATOR_TIME_SCALE: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0, 1_000)), {
    default: () => 1,
  }),
  CALLBACK_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(100, 120_000), { default: () => 10_000 }),
  CALLBACK_ALLOW_PRIVATE_HOSTS: Schema.optionalWith(Schema.Literal('true', 'false'), {
    default: () => 'false' as const,
  }),
});

/** What each of the consumer's own variables must look like (the schema's messages could echo a value). */
const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  PROVIDER: `expected one of ${PROVIDER_KINDS.join(', ')}`,
  CONSUMER_NAME: 'expected 1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  CONSUMER_RETRY_DELAY_MS: 'expected an integer from 0 to 600000',
  CONSUMER_RETRY_MAX_DELAY_MS: 'expected an integer from 0 to 86400000',
  CONSUMER_MAX_RETRIES: 'expected an integer from 0 to 10000',
  METRICS_HOST: 'expected a host name or IP address',
  METRICS_PORT: 'expected an integer from 0 to 65535 (0: any free port)',
  LOG_LEVEL: `expected one of ${LOG_LEVELS.join(', ')}`,
  SCHEDULER_INTERVAL_MS: 'expected an integer from 10 to 3600000',
  SCHEDULER_BATCH_SIZE: 'expected an integer from 1 to 1000',
  STALLED_AFTER_MS: 'expected an integer from 1000 to 604800000',
  SCHEDULER_CONCURRENCY: 'expected an integer from 1 to 1000',
  CLOCK_SCALE: 'expected a number from 0.001 to 1000000',
  CLOCK_ORIGIN_MS: 'expected an integer from 0 to 8640000000000000 (epoch ms)',
  SIMULATOR_TIME_SCALE: 'expected a number from 0 to 1000',
  CALLBACK_TIMEOUT_MS: 'expected an integer from 100 to 120000',
  CALLBACK_ALLOW_PRIVATE_HOSTS: 'expected true or false',
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The lib decoders' reasons are `VAR: expectation` lists joined by "; ".
 * Some of their expectations are schema messages that quote the value read
 * (`Unable to decode "abc" into a number`): quoted text is replaced.
 */
const problemsOf = (reason: string): readonly string[] =>
  reason
    .split('; ')
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/"[^"]*"/g, 'the given value'));

const ownSettings = (environment: Env) =>
  Either.flatMap(
    Either.mapLeft(
      Schema.decodeUnknownEither(Environment)(environment, { onExcessProperty: 'ignore', errors: 'all' }),
      (error) => [
        ...new Set(
          ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
            const variable = String(issue.path[0] ?? '') as keyof typeof EXPECTED;
            return `${variable}: ${EXPECTED[variable] ?? 'invalid'}`;
          }),
        ),
      ],
    ),
    (settings: typeof Environment.Type): Either.Either<typeof Environment.Type, readonly string[]> =>
      settings.CONSUMER_RETRY_DELAY_MS > settings.CONSUMER_RETRY_MAX_DELAY_MS
        ? Either.left([
            'CONSUMER_RETRY_DELAY_MS: expected no more than CONSUMER_RETRY_MAX_DELAY_MS (the first retry delay, doubled up to the longest)',
          ])
        : Either.right(settings),
  );

const providerSettings = (
  kind: ProviderKind,
  simulatorTimeScale: number,
  environment: Env,
): Either.Either<ProviderSettings, readonly string[]> => {
  if (kind === 'simulator') return Either.right({ kind, timeScale: simulatorTimeScale });
  const dvsEnvironment =
    kind === 'simulator-http' && environment['DTONE_BASE_URL'] === undefined
      ? { ...environment, DTONE_BASE_URL: LOCAL_SIMULATOR_DVS_URL }
      : environment;
  return Either.match(dvsConfigFrom(dvsEnvironment), {
    onLeft: (error) => Either.left(problemsOf(error.reason)),
    onRight: (dvs) => Either.right({ kind, dvs }),
  });
};

/** Unset and empty variables are both "not given". */
const withoutEmpty = (environment: Env): Env =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));

/**
 * Decodes every setting of the consumer; `InvalidConsumerConfig` lists every
 * bad variable at once (database, broker, provider and the consumer's own).
 */
export const consumerConfigFrom = (environment: Env): Either.Either<ConsumerConfig, InvalidConsumerConfig> => {
  const env = withoutEmpty(environment);
  const database = databaseConfigFrom(env);
  const messaging = messagingConfigFrom(env);
  const own = ownSettings(env);
  // the provider's variables are checked even when another of the consumer's own is bad
  const kind = PROVIDER_KINDS.find((known) => known === (env['PROVIDER'] ?? 'simulator-http'));
  const provider =
    kind === undefined
      ? Either.left<readonly string[]>([])
      : providerSettings(kind, Either.isRight(own) ? own.right.SIMULATOR_TIME_SCALE : 1, env);
  if (Either.isRight(database) && Either.isRight(messaging) && Either.isRight(own) && Either.isRight(provider)) {
    const settings = own.right;
    return Either.right({
      database: database.right,
      messaging: messaging.right,
      provider: provider.right,
      consumerName: settings.CONSUMER_NAME,
      retry: {
        minDelayMs: settings.CONSUMER_RETRY_DELAY_MS,
        maxDelayMs: settings.CONSUMER_RETRY_MAX_DELAY_MS,
        maxRetries: settings.CONSUMER_MAX_RETRIES,
      },
      metrics: { host: settings.METRICS_HOST, port: settings.METRICS_PORT },
      logLevel: settings.LOG_LEVEL,
      scheduler: {
        intervalMs: settings.SCHEDULER_INTERVAL_MS,
        batchSize: settings.SCHEDULER_BATCH_SIZE,
        stalledAfterMs: settings.STALLED_AFTER_MS,
        concurrency: settings.SCHEDULER_CONCURRENCY,
      },
      clockScale: settings.CLOCK_SCALE,
      clockOriginMs: settings.CLOCK_ORIGIN_MS,
      callbackTimeoutMs: settings.CALLBACK_TIMEOUT_MS,
      allowPrivateCallbackHosts: settings.CALLBACK_ALLOW_PRIVATE_HOSTS === 'true',
    });
  }
  const problems = [
    ...(Either.isLeft(database) ? problemsOf(database.left.reason) : []),
    ...(Either.isLeft(messaging) ? problemsOf(messaging.left.reason) : []),
    ...(Either.isLeft(own) ? own.left : []),
    ...(Either.isLeft(provider) ? provider.left : []),
  ];
  return Either.left(new InvalidConsumerConfig({ problems }));
};
