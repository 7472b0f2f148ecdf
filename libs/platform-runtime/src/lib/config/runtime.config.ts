// The settings every process running the platform's work reads (the
// consumer, and the API with its workers in-process), decoded from the
// environment once at start with effect/Schema: the provider chosen by
// PROVIDER (with the DT One adapter's DTONE_* settings), the log level, the
// scaled clock, the scheduler's loops, the inbox's consumer name, the
// callers' callbacks, the provider callback URLs' base, the batched ledger
// store's bounds and the group-commit unit of work's. An app's config
// adds its own (database, broker, ports) and reports every problem at once.
import {
  DEFAULT_GROUP_COMMIT_CONFIG,
  DEFAULT_LEDGER_BATCH_CONFIG,
  type GroupCommitConfig,
  type LedgerBatchConfig,
} from '@airtime/persistence-postgres';
import { type DvsConfig, dvsConfigFrom } from '@airtime/provider-dtone';
import { Either, Schema } from 'effect';
import { LOG_LEVELS, type PlatformLogLevel } from '../observability/logger';
import { decodeEnvironment, type Env, IntegerFromString, problemsOf, withoutEmpty } from './environment.schema';
import { DEFAULT_COMMAND_BATCH_MAX } from '../worker/top-up-intake.runner';
import { DEFAULT_CHANGE_BATCH_MAX } from '../worker/top-up-change-writer.runner';

/** The simulator's address when `npm run simulator` runs with its defaults. */
export const LOCAL_SIMULATOR_DVS_URL = 'http://127.0.0.1:8089/v1';

export const PROVIDER_KINDS = ['simulator-http', 'dtone', 'simulator'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

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

export interface RuntimeSettings {
  readonly provider: ProviderSettings;
  /** The inbox's consumer name: message ids are deduplicated per name. */
  readonly consumerName: string;
  readonly logLevel: PlatformLogLevel;
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
  /**
   * The public base URL of the API serving provider callbacks
   * (`PROVIDER_CALLBACK_BASE_URL`, no trailing slash): when set, each send
   * carries `<base>/callbacks/dtone/<the top-up's callback token>`.
   */
  readonly providerCallbackBaseUrl?: string | undefined;
  /** The batched ledger store's bounds (LEDGER_BATCH_LANES, LEDGER_BATCH_MAX, LEDGER_BATCH_LINGER_MS). */
  readonly ledgerBatch: LedgerBatchConfig;
  /** The group-commit unit of work's bounds (UNIT_OF_WORK_GROUPS, UNIT_OF_WORK_MAX_GROUP; 1: no grouping). */
  readonly groupCommit: GroupCommitConfig;
  /**
   * The most top-up requests (the consumer's commands, the API's concurrent
   * calls) one unit of work writes at once (COMMAND_BATCH_MAX, 1..1,000,
   * default 100; 1: each its own). See makeTopUpIntake.
   */
  readonly commandBatchMax: number;
  /**
   * The most top-up changes (attempt starts, provider answers, final
   * statuses of the workers' sends) one unit of work writes at once
   * (CHANGE_BATCH_MAX, 1..1,000, default 100; 1: each its own). See makeTopUpChangeWriter.
   */
  readonly changeBatchMax: number;
}

/**
 * `text` as a base URL callbacks are appended to: http(s), no credentials,
 * query or fragment; answered without its trailing slashes. Undefined when
 * it is not one.
 */
export const callbackBaseUrlOf = (text: string): string | undefined => {
  if (text.includes('?') || text.includes('#') || !URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
};

const CallbackBaseUrl = Schema.transform(
  Schema.String.pipe(Schema.filter((text) => callbackBaseUrlOf(text) !== undefined)),
  Schema.String,
  { strict: true, decode: (text) => callbackBaseUrlOf(text) ?? text, encode: (text) => text },
);

const Environment = Schema.Struct({
  PROVIDER: Schema.optionalWith(Schema.Literal(...PROVIDER_KINDS), { default: () => 'simulator-http' as const }),
  SIMULATOR_TIME_SCALE: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0, 1_000)), {
    default: () => 1,
  }),
  CONSUMER_NAME: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)), {
    default: () => 'topup-consumer',
  }),
  LOG_LEVEL: Schema.optionalWith(Schema.Literal(...LOG_LEVELS), { default: () => 'info' as const }),
  SCHEDULER_INTERVAL_MS: Schema.optionalWith(IntegerFromString(10, 3_600_000), { default: () => 1_000 }),
  SCHEDULER_BATCH_SIZE: Schema.optionalWith(IntegerFromString(1, 1_000), { default: () => 100 }),
  STALLED_AFTER_MS: Schema.optionalWith(IntegerFromString(1_000, 7 * 24 * 3_600_000), { default: () => 120_000 }),
  SCHEDULER_CONCURRENCY: Schema.optionalWith(IntegerFromString(1, 1_000), { default: () => 8 }),
  CLOCK_SCALE: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0.001, 1_000_000)), {
    default: () => 1,
  }),
  CLOCK_ORIGIN_MS: Schema.optional(IntegerFromString(0, 8_640_000_000_000_000)),
  CALLBACK_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(100, 120_000), { default: () => 10_000 }),
  CALLBACK_ALLOW_PRIVATE_HOSTS: Schema.optionalWith(Schema.Literal('true', 'false'), {
    default: () => 'false' as const,
  }),
  PROVIDER_CALLBACK_BASE_URL: Schema.optional(CallbackBaseUrl),
  LEDGER_BATCH_LANES: Schema.optionalWith(IntegerFromString(1, 256), {
    default: () => DEFAULT_LEDGER_BATCH_CONFIG.lanes,
  }),
  LEDGER_BATCH_MAX: Schema.optionalWith(IntegerFromString(1, 10_000), {
    default: () => DEFAULT_LEDGER_BATCH_CONFIG.maxBatch,
  }),
  UNIT_OF_WORK_GROUPS: Schema.optionalWith(IntegerFromString(1, 64), {
    default: () => DEFAULT_GROUP_COMMIT_CONFIG.groups,
  }),
  UNIT_OF_WORK_MAX_GROUP: Schema.optionalWith(IntegerFromString(1, 1_000), {
    default: () => DEFAULT_GROUP_COMMIT_CONFIG.maxGroup,
  }),
  LEDGER_BATCH_LINGER_MS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.finite(), Schema.between(0, 1_000)), {
    default: () => DEFAULT_LEDGER_BATCH_CONFIG.lingerMs,
  }),
  COMMAND_BATCH_MAX: Schema.optionalWith(IntegerFromString(1, 1_000), { default: () => DEFAULT_COMMAND_BATCH_MAX }),
  CHANGE_BATCH_MAX: Schema.optionalWith(IntegerFromString(1, 1_000), { default: () => DEFAULT_CHANGE_BATCH_MAX }),
});

/** What each variable must look like (the schema's messages could echo a value). */
const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  PROVIDER: `expected one of ${PROVIDER_KINDS.join(', ')}`,
  SIMULATOR_TIME_SCALE: 'expected a number from 0 to 1000',
  CONSUMER_NAME: 'expected 1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  LOG_LEVEL: `expected one of ${LOG_LEVELS.join(', ')}`,
  SCHEDULER_INTERVAL_MS: 'expected an integer from 10 to 3600000',
  SCHEDULER_BATCH_SIZE: 'expected an integer from 1 to 1000',
  STALLED_AFTER_MS: 'expected an integer from 1000 to 604800000',
  SCHEDULER_CONCURRENCY: 'expected an integer from 1 to 1000',
  CLOCK_SCALE: 'expected a number from 0.001 to 1000000',
  CLOCK_ORIGIN_MS: 'expected an integer from 0 to 8640000000000000 (epoch ms)',
  CALLBACK_TIMEOUT_MS: 'expected an integer from 100 to 120000',
  CALLBACK_ALLOW_PRIVATE_HOSTS: 'expected true or false',
  PROVIDER_CALLBACK_BASE_URL:
    'expected an http(s) URL with no credentials, query or fragment (the public base of the API, e.g. https://api.example.com)',
  LEDGER_BATCH_LANES: 'expected an integer from 1 to 256',
  LEDGER_BATCH_MAX: 'expected an integer from 1 to 10000',
  LEDGER_BATCH_LINGER_MS: 'expected a number of milliseconds from 0 to 1000',
  UNIT_OF_WORK_GROUPS: 'expected an integer from 1 to 64',
  UNIT_OF_WORK_MAX_GROUP: 'expected an integer from 1 to 1000',
  COMMAND_BATCH_MAX: 'expected an integer from 1 to 1000',
  CHANGE_BATCH_MAX: 'expected an integer from 1 to 1000',
};

/** The names of the variables `runtimeSettingsFrom` reads (besides DT One's `DTONE_*`). */
export const RUNTIME_VARIABLES: readonly string[] = Object.keys(Environment.fields);

/**
 * The provider of `kind`: the simulator's engine in-process, or the DT One
 * adapter with its `DTONE_*` settings (`simulator-http` points it at the
 * local simulator unless DTONE_BASE_URL says otherwise). Problems name the
 * variables, never their values.
 */
export const providerSettingsFrom = (
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

/**
 * Decodes the runtime's settings (an empty variable counts as unset): the
 * problems of its own variables first, then the provider's (checked even
 * when another variable is bad), each `VAR: what it expects`.
 */
export const runtimeSettingsFrom = (given: Env): Either.Either<RuntimeSettings, readonly string[]> => {
  const environment = withoutEmpty(given);
  const own = decodeEnvironment(Environment, EXPECTED)(environment);
  const kind = PROVIDER_KINDS.find((known) => known === (environment['PROVIDER'] ?? 'simulator-http'));
  const provider =
    kind === undefined
      ? Either.left<readonly string[]>([])
      : providerSettingsFrom(kind, Either.isRight(own) ? own.right.SIMULATOR_TIME_SCALE : 1, environment);
  if (Either.isLeft(own) || Either.isLeft(provider)) {
    return Either.left([...(Either.isLeft(own) ? own.left : []), ...(Either.isLeft(provider) ? provider.left : [])]);
  }
  const settings = own.right;
  return Either.right({
    provider: provider.right,
    consumerName: settings.CONSUMER_NAME,
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
    providerCallbackBaseUrl: settings.PROVIDER_CALLBACK_BASE_URL,
    ledgerBatch: {
      lanes: settings.LEDGER_BATCH_LANES,
      maxBatch: settings.LEDGER_BATCH_MAX,
      lingerMs: settings.LEDGER_BATCH_LINGER_MS,
    },
    groupCommit: { groups: settings.UNIT_OF_WORK_GROUPS, maxGroup: settings.UNIT_OF_WORK_MAX_GROUP },
    commandBatchMax: settings.COMMAND_BATCH_MAX,
    changeBatchMax: settings.CHANGE_BATCH_MAX,
  });
};
