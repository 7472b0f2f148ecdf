// The consumer's settings, decoded from the environment once at start with
// effect/Schema: the database and broker settings through their libs'
// decoders, the runtime's (provider, clock, scheduler, callbacks: the
// platform-runtime lib's, shared with the API), and the consumer's own
// (retry queue, metrics server). Every bad variable is reported by name with
// what it expects, never its value (URLs hold passwords, keys are secrets).
// An empty variable counts as unset.
import { type DatabaseConfig, databaseConfigFrom } from '@airtime/persistence-postgres';
import { type MessagingConfig, messagingConfigFrom } from '@airtime/messaging-rabbitmq';
import {
  COMMAND_RETRY_EXPECTED,
  COMMAND_RETRY_FIELDS,
  type CommandRetrySettings,
  commandRetryOf,
  commandRetryProblems,
  decodeEnvironment,
  type Env,
  IntegerFromString,
  problemsOf,
  type RuntimeSettings,
  runtimeSettingsFrom,
  withoutEmpty,
} from '@airtime/platform-runtime';
import { Either, Schema } from 'effect';
import { InvalidConsumerConfig } from './consumer-config.errors';

/** Retries of a command that failed for now (a dependency down), through the retry queue. */
export type RetrySettings = CommandRetrySettings;

export interface ConsumerConfig extends RuntimeSettings {
  readonly database: DatabaseConfig;
  readonly messaging: MessagingConfig;
  readonly retry: RetrySettings;
  readonly metrics: { readonly host: string; readonly port: number };
}

const Environment = Schema.Struct({
  ...COMMAND_RETRY_FIELDS,
  METRICS_HOST: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9.:-]{1,253}$/)), {
    default: () => '127.0.0.1',
  }),
  METRICS_PORT: Schema.optionalWith(IntegerFromString(0, 65_535), { default: () => 9464 }),
});

/** What each of the consumer's own variables must look like (the schema's messages could echo a value). */
const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  ...COMMAND_RETRY_EXPECTED,
  METRICS_HOST: 'expected a host name or IP address',
  METRICS_PORT: 'expected an integer from 0 to 65535 (0: any free port)',
};

const ownSettings = (environment: Env) =>
  Either.flatMap(
    decodeEnvironment(Environment, EXPECTED)(environment),
    (settings): Either.Either<typeof Environment.Type, readonly string[]> => {
      const problems = commandRetryProblems(settings);
      return problems.length === 0 ? Either.right(settings) : Either.left(problems);
    },
  );

/**
 * Decodes every setting of the consumer; `InvalidConsumerConfig` lists every
 * bad variable at once (database, broker, the runtime's with the provider's,
 * and the consumer's own).
 */
export const consumerConfigFrom = (environment: Env): Either.Either<ConsumerConfig, InvalidConsumerConfig> => {
  const env = withoutEmpty(environment);
  const database = databaseConfigFrom(env);
  const messaging = messagingConfigFrom(env);
  const runtime = runtimeSettingsFrom(env);
  const own = ownSettings(env);
  if (Either.isRight(database) && Either.isRight(messaging) && Either.isRight(runtime) && Either.isRight(own)) {
    const settings = own.right;
    return Either.right({
      ...runtime.right,
      database: database.right,
      messaging: messaging.right,
      retry: commandRetryOf(settings),
      metrics: { host: settings.METRICS_HOST, port: settings.METRICS_PORT },
    });
  }
  const problems = [
    ...(Either.isLeft(database) ? problemsOf(database.left.reason) : []),
    ...(Either.isLeft(messaging) ? problemsOf(messaging.left.reason) : []),
    ...(Either.isLeft(runtime) ? runtime.left : []),
    ...(Either.isLeft(own) ? own.left : []),
  ];
  return Either.left(new InvalidConsumerConfig({ problems }));
};
