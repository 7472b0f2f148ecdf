// The settings of `npm start` (tools/start/platform.ts), decoded from the
// environment: where the in-process DVS simulator listens and how fast its
// sandbox runs, how the consumer's logs are shown, and the consumer settings
// `npm start` chooses for a local run unless the environment sets them. The
// database, the broker and every other consumer setting are read by the
// consumer itself (DATABASE_URL, AMQP_*, METRICS_PORT, LOG_LEVEL, ...).
import { Either, ParseResult, Schema } from 'effect';

export interface PlatformSettings {
  /** The simulator's port (0: any free port). */
  readonly simulatorPort: number;
  readonly simulatorHost: string;
  /** Real ms per simulated ms of the simulator's sandbox (1: a "3 s" number takes 3 s). */
  readonly simulatorTimeScale: number;
  /** `pretty`: one readable line per consumer log line; `json`: pino's lines as they are. */
  readonly logFormat: 'pretty' | 'json';
  /** How long a stop waits for the consumer before it is killed. */
  readonly stopTimeoutMs: number;
  /** The consumer's entry file run with node (default: the build, dist/apps/consumer/main.js). */
  readonly consumerMain: string | undefined;
}

/**
 * Consumer settings for a local run, used unless the environment sets them.
 * The consumer serves no provider callbacks, so a top-up the provider holds
 * (CONFIRMED) is settled by the status query of the stalled-top-up loop:
 * after 5 s here instead of the production 2 minutes. A send gives up
 * (outcome unknown) after 4 s, before a top-up counts as stalled, so the
 * loop never asks about a send still on its way. Callbacks stay limited to
 * public https hosts: CALLBACK_ALLOW_PRIVATE_HOSTS=true in the environment
 * (passed through like any other) lets a local receiver have them.
 */
export const LOCAL_CONSUMER_DEFAULTS: Readonly<Record<string, string>> = {
  STALLED_AFTER_MS: '5000',
  DTONE_TIMEOUT_MS: '4000',
};

/** The simulator's default port: the consumer's default DTONE_BASE_URL (http://127.0.0.1:8089/v1). Tests use free ports. */
export const DEFAULT_SIMULATOR_PORT = 8089;

const IntegerFromString = (min: number, max: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max));

const Environment = Schema.Struct({
  SIMULATOR_PORT: Schema.optionalWith(IntegerFromString(0, 65_535), { default: () => DEFAULT_SIMULATOR_PORT }),
  SIMULATOR_HOST: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9.:-]{1,253}$/)), {
    default: () => '127.0.0.1',
  }),
  SIMULATOR_TIME_SCALE: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0, 1_000)), {
    default: () => 1,
  }),
  START_LOG_FORMAT: Schema.optionalWith(Schema.Literal('pretty', 'json'), { default: () => 'pretty' as const }),
  START_STOP_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(1_000, 600_000), { default: () => 60_000 }),
  START_CONSUMER_MAIN: Schema.optional(Schema.String.pipe(Schema.pattern(/\.[cm]?js$/))),
});

const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  SIMULATOR_PORT: 'expected an integer from 0 to 65535 (0: any free port)',
  SIMULATOR_HOST: 'expected a host name or IP address',
  SIMULATOR_TIME_SCALE: 'expected a number from 0 to 1000',
  START_LOG_FORMAT: 'expected pretty or json',
  START_STOP_TIMEOUT_MS: 'expected an integer from 1000 to 600000',
  START_CONSUMER_MAIN: 'expected the path of a .js file',
};

/** Decodes the settings; the problems name each bad variable and what it expects, never its value. */
export const platformSettingsFrom = (
  environment: Readonly<Record<string, string | undefined>>,
): Either.Either<PlatformSettings, readonly string[]> => {
  const given = Object.fromEntries(
    Object.keys(Environment.fields).flatMap((name) => {
      const value = environment[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  return Schema.decodeUnknownEither(Environment)(given, { errors: 'all' }).pipe(
    Either.mapLeft((error) => [
      ...new Set(
        ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
          const name = String(issue.path[0] ?? '') as keyof typeof EXPECTED;
          return `${name}: ${EXPECTED[name] ?? 'invalid'}`;
        }),
      ),
    ]),
    Either.map((env) => ({
      simulatorPort: env.SIMULATOR_PORT,
      simulatorHost: env.SIMULATOR_HOST,
      simulatorTimeScale: env.SIMULATOR_TIME_SCALE,
      logFormat: env.START_LOG_FORMAT,
      stopTimeoutMs: env.START_STOP_TIMEOUT_MS,
      consumerMain: env.START_CONSUMER_MAIN,
    })),
  );
};

/**
 * The consumer's environment: the caller's, with the local defaults where
 * it sets nothing, and the simulator's address and this run's credentials
 * (always: `npm start` runs the platform on its simulator).
 */
export const consumerEnvironment = (
  environment: Readonly<Record<string, string | undefined>>,
  simulator: { readonly baseUrl: string; readonly apiKey: string; readonly apiSecret: string },
): Record<string, string> => {
  const inherited = Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const defaults = Object.fromEntries(
    Object.entries(LOCAL_CONSUMER_DEFAULTS).filter(([name]) => (environment[name] ?? '') === ''),
  );
  return {
    ...inherited,
    ...defaults,
    PROVIDER: 'simulator-http',
    DTONE_BASE_URL: simulator.baseUrl,
    DTONE_API_KEY: simulator.apiKey,
    DTONE_API_SECRET: simulator.apiSecret,
  };
};
