// The reconciler's settings, decoded from the environment once at start with
// effect/Schema: the database (DATABASE_URL required: the books to
// reconcile are never a default), the runtime's (PROVIDER and DTONE_*, the
// in-process simulator refused: it has no books to compare with; or, for
// --provider africastalking / engagespark, that provider's variables; the
// log level and the clock: the platform-runtime lib's, shared with the
// consumer and the API), and the reconciler's own (how old a non-final
// top-up must be to be settled, the deadline of a decision by hand, the
// report folder, the Pushgateway). Logs are warnings and errors only unless
// LOG_LEVEL says otherwise. Every bad variable is reported by name
// with what it expects, never its value. An empty variable counts as unset.
import { DEFAULT_DECISION_AFTER_MS, DEFAULT_SETTLE_AFTER_MS } from '@airtime/application';
import { type DatabaseConfig, databaseConfigFrom } from '@airtime/persistence-postgres';
import {
  callbackBaseUrlOf,
  decodeEnvironment,
  type Env,
  IntegerFromString,
  problemsOf,
  type ProviderSettings,
  type RuntimeSettings,
  runtimeSettingsFrom,
  withoutEmpty,
} from '@airtime/platform-runtime';
import {
  AFRICASTALKING_PROVIDER_ID,
  type AfricasTalkingConfig,
  africasTalkingConfigFrom,
} from '@airtime/provider-africastalking';
import { ENGAGESPARK_PROVIDER_ID, type EngageSparkConfig, engageSparkConfigFrom } from '@airtime/provider-engagespark';
import { Either, Schema } from 'effect';
import { InvalidReconcilerConfig } from './reconciler-config.errors';

/**
 * The provider reconciled: PROVIDER's (the DT One adapter, over HTTP to DT
 * One or to the DVS simulator), or, when `--provider` names one of them,
 * Africa's Talking's or engageSPARK's own adapter with its variables.
 */
export type ReconcilerProviderSettings =
  | Exclude<ProviderSettings, { readonly kind: 'simulator' }>
  | { readonly kind: 'africastalking'; readonly config: AfricasTalkingConfig }
  | { readonly kind: 'engagespark'; readonly config: EngageSparkConfig };

export interface ReconcilerConfig extends Omit<RuntimeSettings, 'provider'> {
  readonly provider: ReconcilerProviderSettings;
  readonly database: DatabaseConfig;
  /** A non-final top-up untouched this long is settled by asking the provider (RECONCILE_SETTLE_AFTER_MS). */
  readonly settleAfterMs: number;
  /** Past this age a top-up at a provider with no status query is listed for a decision by hand (RECONCILE_DECISION_AFTER_MS). */
  readonly decisionAfterMs: number;
  /** Where report files are written unless --report-dir says otherwise (RECONCILE_REPORT_DIR). */
  readonly reportDir: string;
  /** The Prometheus Pushgateway the run's metrics are pushed to (PUSHGATEWAY_URL); undefined: not pushed. */
  readonly pushgatewayUrl: string | undefined;
}

/** The reconciler logs warnings and errors only by default: its progress and report tell the run. */
export const DEFAULT_LOG_LEVEL = 'warn';
export const DEFAULT_REPORT_DIR = 'reports/reconciliation';
/** A nightly run reads a whole day: its statements get a minute unless DATABASE_STATEMENT_TIMEOUT_MS says otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;

const PushgatewayUrl = Schema.String.pipe(Schema.filter((text) => callbackBaseUrlOf(text) !== undefined));

const Environment = Schema.Struct({
  RECONCILE_SETTLE_AFTER_MS: Schema.optionalWith(IntegerFromString(0, 30 * 86_400_000), {
    default: () => DEFAULT_SETTLE_AFTER_MS,
  }),
  RECONCILE_DECISION_AFTER_MS: Schema.optionalWith(IntegerFromString(0, 90 * 86_400_000), {
    default: () => DEFAULT_DECISION_AFTER_MS,
  }),
  RECONCILE_REPORT_DIR: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[^\0]*\S[^\0]*$/)), {
    default: () => DEFAULT_REPORT_DIR,
  }),
  PUSHGATEWAY_URL: Schema.optional(PushgatewayUrl),
});

/** What each of the reconciler's own variables must look like (the schema's messages could echo a value). */
const EXPECTED: Readonly<Record<keyof typeof Environment.fields, string>> = {
  RECONCILE_SETTLE_AFTER_MS: 'expected an integer from 0 to 2592000000 (ms, up to 30 days)',
  RECONCILE_DECISION_AFTER_MS: 'expected an integer from 0 to 7776000000 (ms, up to 90 days)',
  RECONCILE_REPORT_DIR: 'expected a folder path',
  PUSHGATEWAY_URL: 'expected an http(s) URL with no credentials, query or fragment (e.g. http://pushgateway:9091)',
};

/**
 * PROVIDER=simulator is the simulator's engine in this process: it starts
 * empty, so it knows none of our transactions and a run against it would
 * report a false MATCHED.
 */
export const IN_PROCESS_SIMULATOR_REFUSED =
  'PROVIDER: the in-process simulator has no books to reconcile; use simulator-http or dtone';

const databaseOf = (env: Env): Either.Either<DatabaseConfig, readonly string[]> => {
  if (env['DATABASE_URL'] === undefined)
    return Either.left(['DATABASE_URL: required, postgres://user@host:port/database (the books to reconcile)']);
  const statementTimeout = env['DATABASE_STATEMENT_TIMEOUT_MS'] ?? String(DEFAULT_STATEMENT_TIMEOUT_MS);
  return Either.mapLeft(databaseConfigFrom({ ...env, DATABASE_STATEMENT_TIMEOUT_MS: statementTimeout }), (error) =>
    problemsOf(error.reason),
  );
};

/** The provider of `--provider` when it names a provider PROVIDER cannot select, with its own variables. */
const ownProviderOf = (
  providerId: string | undefined,
  env: Env,
): Either.Either<ReconcilerProviderSettings, readonly string[]> | undefined => {
  if (providerId === AFRICASTALKING_PROVIDER_ID)
    return Either.mapBoth(africasTalkingConfigFrom(env), {
      onLeft: (error) => problemsOf(error.reason),
      onRight: (config) => ({ kind: 'africastalking' as const, config }),
    });
  if (providerId === ENGAGESPARK_PROVIDER_ID)
    return Either.mapBoth(engageSparkConfigFrom(env), {
      onLeft: (error) => problemsOf(error.reason),
      onRight: (config) => ({ kind: 'engagespark' as const, config }),
    });
  return undefined;
};

/** The runtime's settings, and the provider: `--provider`'s own, else PROVIDER's (the in-process simulator refused). */
const runtimeOf = (
  providerId: string | undefined,
  env: Env,
): Either.Either<
  Omit<RuntimeSettings, 'provider'> & { readonly provider: ReconcilerProviderSettings },
  readonly string[]
> => {
  const own = ownProviderOf(providerId, env);
  const withDefaults = { LOG_LEVEL: DEFAULT_LOG_LEVEL, ...env };
  if (own === undefined)
    return Either.flatMap(runtimeSettingsFrom(withDefaults), (settings) =>
      settings.provider.kind === 'simulator'
        ? Either.left([IN_PROCESS_SIMULATOR_REFUSED])
        : Either.right({ ...settings, provider: settings.provider }),
    );
  // PROVIDER (and DT One's keys) choose the process's other provider: not read for this one
  const runtime = runtimeSettingsFrom({ ...withDefaults, PROVIDER: 'simulator' });
  if (Either.isRight(runtime) && Either.isRight(own)) return Either.right({ ...runtime.right, provider: own.right });
  return Either.left([...(Either.isLeft(runtime) ? runtime.left : []), ...(Either.isLeft(own) ? own.left : [])]);
};

/**
 * Decodes every setting of the reconciler for a run of `providerId` (the
 * `--provider` given, if any); `InvalidReconcilerConfig` lists every bad or
 * missing variable at once (database, the runtime's with the provider's, the
 * reconciler's own), never a value. The provider is PROVIDER's
 * (PROVIDER=simulator refused: IN_PROCESS_SIMULATOR_REFUSED), or for
 * `africastalking` / `engagespark` that provider's adapter, decoded from its
 * own variables (AFRICASTALKING_*, ENGAGESPARK_*; PROVIDER and DTONE_* then
 * not read).
 */
export const reconcilerConfigFrom = (
  environment: Env,
  providerId?: string,
): Either.Either<ReconcilerConfig, InvalidReconcilerConfig> => {
  const env = withoutEmpty(environment);
  const database = databaseOf(env);
  // a command line: warnings and errors only unless LOG_LEVEL says otherwise (the progress tells the run)
  const runtime = runtimeOf(providerId, env);
  const own = decodeEnvironment(Environment, EXPECTED)(env);
  if (Either.isRight(database) && Either.isRight(runtime) && Either.isRight(own)) {
    const settings = own.right;
    return Either.right({
      ...runtime.right,
      database: database.right,
      settleAfterMs: settings.RECONCILE_SETTLE_AFTER_MS,
      decisionAfterMs: settings.RECONCILE_DECISION_AFTER_MS,
      reportDir: settings.RECONCILE_REPORT_DIR,
      pushgatewayUrl: settings.PUSHGATEWAY_URL === undefined ? undefined : callbackBaseUrlOf(settings.PUSHGATEWAY_URL),
    });
  }
  const problems = [
    ...(Either.isLeft(database) ? database.left : []),
    ...(Either.isLeft(runtime) ? runtime.left : []),
    ...(Either.isLeft(own) ? own.left : []),
  ];
  return Either.left(new InvalidReconcilerConfig({ problems }));
};
