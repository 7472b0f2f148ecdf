// The settings of `npm start` (tools/start/platform.ts), decoded from the
// environment: where the API listens, where the embedded PostgreSQL keeps
// its data, where the in-process DVS simulator listens and how fast its
// sandbox runs, how the API's logs are shown, whether the demo top-up is
// sent; and the API's environment: the caller's, with the local defaults
// where it sets nothing, and what `npm start` decides (database, messaging,
// workers, the simulator as the provider, the callback base).
import path from 'node:path';
import { AccountIdField } from '@airtime/application';
import { runtimeSettingsFrom } from '@airtime/platform-runtime';
import { Either, ParseResult, Schema } from 'effect';
import { DEMO_ACCOUNT, DEMO_ACCOUNT_ID_MAX_LENGTH } from './demo-account.use-case';

export interface PlatformSettings {
  /** The API's port (API_PORT, default 8080; 0: a free port chosen before the API starts). */
  readonly apiPort: number;
  /** The address the API listens on (API_HOST, default 127.0.0.1); the printed URLs use 127.0.0.1 for a wildcard. */
  readonly apiHost: string;
  /** The embedded PostgreSQL's folder (START_DATA_DIR), kept between runs; unused with DATABASE_URL. */
  readonly dataDir: string;
  /** The simulator's port (0: any free port). */
  readonly simulatorPort: number;
  readonly simulatorHost: string;
  /** Real ms per simulated ms of the simulator's sandbox (1: a "3 s" number takes 3 s). */
  readonly simulatorTimeScale: number;
  /** `pretty`: one readable line per API log line; `json`: pino's lines as they are. */
  readonly logFormat: 'pretty' | 'json';
  /** How long a stop waits for the API before it is killed. */
  readonly stopTimeoutMs: number;
  /**
   * With AMQP_URL: how long the start waits for RabbitMQ before it stops with one line
   * (START_BROKER_TIMEOUT_MS, default 30 s; 0: one attempt).
   */
  readonly brokerTimeoutMs: number;
  /** A built API entry run with node (START_API_MAIN, e.g. dist/apps/api/main.js); default: apps/api/src/main.ts through tsx. */
  readonly apiMain: string | undefined;
  /** Whether the demo top-up is sent once the API is ready (START_DEMO, default true). */
  readonly demo: boolean;
  /**
   * The demo account's id (START_DEMO_ACCOUNT, default `demo`; 1..80 characters, the account id rule):
   * funded and keyed only while it is npm start's own.
   */
  readonly demoAccountId: string;
}

/** Where the platform's database and messaging come from. */
export interface PlatformBackends {
  /** DATABASE_URL when set (that PostgreSQL), else undefined (the embedded one). */
  readonly databaseUrl: string | undefined;
  /** Whether AMQP_URL is set: RabbitMQ; otherwise the API's in-process bus. */
  readonly rabbitmq: boolean;
  /** AMQP_URL when set (it may hold a password: never print it). */
  readonly amqpUrl: string | undefined;
}

/**
 * API settings for a local run, used unless the environment sets them. The
 * simulator's callbacks settle a top-up it holds (CONFIRMED); should one be
 * lost, the stalled-top-up loop asks after 5 s here instead of the
 * production 2 minutes. A send gives up (outcome unknown) after 4 s, before
 * a top-up counts as stalled, so the loop never asks about a send still on
 * its way. Callers' callbacks stay limited to public https hosts:
 * CALLBACK_ALLOW_PRIVATE_HOSTS=true in the environment lets a local
 * receiver have them.
 */
export const LOCAL_API_DEFAULTS: Readonly<Record<string, string>> = {
  STALLED_AFTER_MS: '5000',
  DTONE_TIMEOUT_MS: '4000',
};

/** The simulator's default port (the DT One adapter's local default base URL is http://127.0.0.1:8089/v1). Tests use free ports. */
export const DEFAULT_SIMULATOR_PORT = 8089;

/** The API's default port. */
export const DEFAULT_API_PORT = 8080;

/** The embedded PostgreSQL's folder unless START_DATA_DIR names another: `<repo>/tmp/embedded-postgres`. */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../tmp/embedded-postgres');

const IntegerFromString = (min: number, max: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max));

const Host = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9.:-]{1,253}$/));

const Environment = Schema.Struct({
  API_PORT: Schema.optionalWith(IntegerFromString(0, 65_535), { default: () => DEFAULT_API_PORT }),
  API_HOST: Schema.optionalWith(Host, { default: () => '127.0.0.1' }),
  START_DATA_DIR: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[^\0]{1,1024}$/)), {
    default: () => DEFAULT_DATA_DIR,
  }),
  SIMULATOR_PORT: Schema.optionalWith(IntegerFromString(0, 65_535), { default: () => DEFAULT_SIMULATOR_PORT }),
  SIMULATOR_HOST: Schema.optionalWith(Host, { default: () => '127.0.0.1' }),
  SIMULATOR_TIME_SCALE: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0, 1_000)), {
    default: () => 1,
  }),
  START_LOG_FORMAT: Schema.optionalWith(Schema.Literal('pretty', 'json'), { default: () => 'pretty' as const }),
  START_STOP_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(1_000, 600_000), { default: () => 60_000 }),
  START_BROKER_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(0, 600_000), { default: () => 30_000 }),
  START_API_MAIN: Schema.optional(Schema.String.pipe(Schema.pattern(/\.[cm]?js$/))),
  START_DEMO: Schema.optionalWith(Schema.Literal('true', 'false'), { default: () => 'true' as const }),
  START_DEMO_ACCOUNT: Schema.optionalWith(AccountIdField.pipe(Schema.maxLength(DEMO_ACCOUNT_ID_MAX_LENGTH)), {
    default: () => DEMO_ACCOUNT.id,
  }),
});

const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  API_PORT: 'expected an integer from 0 to 65535 (0: any free port)',
  API_HOST: 'expected a host name or IP address',
  START_DATA_DIR: 'expected a folder path',
  SIMULATOR_PORT: 'expected an integer from 0 to 65535 (0: any free port)',
  SIMULATOR_HOST: 'expected a host name or IP address',
  SIMULATOR_TIME_SCALE: 'expected a number from 0 to 1000',
  START_LOG_FORMAT: 'expected pretty or json',
  START_STOP_TIMEOUT_MS: 'expected an integer from 1000 to 600000',
  START_BROKER_TIMEOUT_MS: 'expected an integer from 0 to 600000',
  START_API_MAIN: 'expected the path of a .js file',
  START_DEMO: 'expected true or false',
  START_DEMO_ACCOUNT: `expected an account id of 1 to ${DEMO_ACCOUNT_ID_MAX_LENGTH} characters`,
};

type Environment = Readonly<Record<string, string | undefined>>;

const given = (environment: Environment, name: string): string | undefined => {
  const value = environment[name];
  return value === undefined || value === '' ? undefined : value;
};

/** Decodes the settings; the problems name each bad variable and what it expects, never its value. */
export const platformSettingsFrom = (environment: Environment): Either.Either<PlatformSettings, readonly string[]> => {
  const set = Object.fromEntries(
    Object.keys(Environment.fields).flatMap((name) => {
      const value = given(environment, name);
      return value === undefined ? [] : [[name, value]];
    }),
  );
  return Schema.decodeUnknownEither(Environment)(set, { errors: 'all' }).pipe(
    Either.mapLeft((error) => [
      ...new Set(
        ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
          const name = String(issue.path[0] ?? '') as keyof typeof EXPECTED;
          return `${name}: ${EXPECTED[name] ?? 'invalid'}`;
        }),
      ),
    ]),
    Either.map((env) => ({
      apiPort: env.API_PORT,
      apiHost: env.API_HOST,
      dataDir: path.resolve(env.START_DATA_DIR),
      simulatorPort: env.SIMULATOR_PORT,
      simulatorHost: env.SIMULATOR_HOST,
      simulatorTimeScale: env.SIMULATOR_TIME_SCALE,
      logFormat: env.START_LOG_FORMAT,
      stopTimeoutMs: env.START_STOP_TIMEOUT_MS,
      brokerTimeoutMs: env.START_BROKER_TIMEOUT_MS,
      apiMain: env.START_API_MAIN,
      demo: env.START_DEMO === 'true',
      demoAccountId: env.START_DEMO_ACCOUNT,
    })),
  );
};

/** DATABASE_URL and AMQP_URL as the user's environment gives them (empty counts as unset). */
export const platformBackendsOf = (environment: Environment): PlatformBackends => ({
  databaseUrl: given(environment, 'DATABASE_URL'),
  rabbitmq: given(environment, 'AMQP_URL') !== undefined,
  amqpUrl: given(environment, 'AMQP_URL'),
});

/** The host of the API's printed URLs: the listened address, 127.0.0.1 for a wildcard. */
export const reachableHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
};

/** What `npm start` decides for the API, whatever the environment says. */
export interface ApiLaunch {
  /** The port the API listens on (a free one already chosen when API_PORT is 0). */
  readonly port: number;
  /** The API's local base URL, e.g. http://127.0.0.1:8080 (the provider callbacks' base). */
  readonly url: string;
  /** The database's URL (the embedded server's, with its password, or the user's DATABASE_URL). */
  readonly databaseUrl: string;
  readonly rabbitmq: boolean;
  readonly simulator: { readonly baseUrl: string; readonly apiKey: string; readonly apiSecret: string };
}

/**
 * The API's runtime settings (its PROVIDER, scheduler, LEDGER_BATCH_*,
 * UNIT_OF_WORK_*, ... variables) as the API will read them from
 * `apiEnvironment`, checked before anything is started or written: the
 * problems, each `VAR: what it expects`, never a value. What this run
 * decides itself (port, database, simulator, credentials) is taken as valid.
 */
export const apiRuntimeProblems = (environment: Environment): readonly string[] => {
  const launch: ApiLaunch = {
    port: DEFAULT_API_PORT,
    url: `http://127.0.0.1:${DEFAULT_API_PORT}`,
    databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    rabbitmq: false,
    simulator: { baseUrl: `http://127.0.0.1:${DEFAULT_SIMULATOR_PORT}/v1`, apiKey: 'checked', apiSecret: 'checked' },
  };
  return Either.match(runtimeSettingsFrom(apiEnvironment(environment, launch)), {
    onLeft: (problems) => problems,
    onRight: () => [],
  });
};

/**
 * The API's environment: the caller's, with the local defaults where it sets
 * nothing, then what this run decides: the port, the database, the
 * messaging (`in-process` unless AMQP_URL is set), the consumer's workers
 * in the API process, the simulator's address and this run's credentials,
 * and the API's own URL as the provider callbacks' base (so the
 * simulator's callbacks settle the top-ups).
 */
export const apiEnvironment = (environment: Environment, launch: ApiLaunch): Record<string, string> => {
  const inherited = Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const defaults = Object.fromEntries(
    Object.entries(LOCAL_API_DEFAULTS).filter(([name]) => given(environment, name) === undefined),
  );
  return {
    ...inherited,
    ...defaults,
    API_PORT: String(launch.port),
    DATABASE_URL: launch.databaseUrl,
    MESSAGING: launch.rabbitmq ? 'rabbitmq' : 'in-process',
    API_WORKERS: 'true',
    PROVIDER: 'simulator-http',
    DTONE_BASE_URL: launch.simulator.baseUrl,
    DTONE_API_KEY: launch.simulator.apiKey,
    DTONE_API_SECRET: launch.simulator.apiSecret,
    PROVIDER_CALLBACK_BASE_URL: launch.url,
  };
};
