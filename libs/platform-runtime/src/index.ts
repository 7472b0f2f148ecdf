// What the apps share to be composed alike (the consumer, the API, the
// embedded one-process platform): the logger and its redaction, the
// metrics, the scaled clock, UUID v7 ids, the timed provider and the
// metered event publisher, the runtime's layers over a DataSource, the
// provider chosen by configuration, the settings they decode from the
// environment, the callers' callback sender, the provider callback URLs,
// and the workers (the top-up command handler with its error table, fed by
// any command runner, and the scheduler's loops).

// observability
export {
  LOG_LEVELS,
  type PlatformLogLevel,
  type PlatformLogger,
  CONSUMER_SERVICE_NAME,
  makeLogger,
  pinoEffectLogger,
  pinoEffectLoggerLayer,
} from './lib/observability/logger';
export { REDACTED_FIELDS, REDACTED_PATHS, REDACTION_CENSOR, maskNumbers } from './lib/observability/log.redaction';
export { type DefectDescription, describeDefect } from './lib/observability/defect.format';
export {
  type ReadinessCheck,
  type ReadinessReport,
  type ReadinessState,
  brokerReadiness,
  databaseReadiness,
  runReadinessChecks,
} from './lib/observability/readiness.runner';
export {
  type CommandOutcome,
  type PlatformMetrics,
  type PlatformMetricsOptions,
  makePlatformMetrics,
} from './lib/observability/platform-metrics';

// adapters
export {
  type ScaledClock,
  type ScaledClockOptions,
  makeScaledClock,
  scaledClockLayer,
} from './lib/adapters/scaled-clock.adapter';
export {
  UUID_V7_MAX_COUNTER,
  uuidV7,
  makeMonotonicUuidV7,
  makeUuidIdGenerator,
  uuidIdGeneratorLayer,
} from './lib/adapters/uuid-id-generator.adapter';
export { timedProvider } from './lib/adapters/timed-provider.adapter';
export { meteredEventPublisher } from './lib/adapters/metered-event-publisher.adapter';

// callbacks
export {
  type FetchCallbackSenderOptions,
  DEFAULT_CALLBACK_TIMEOUT_MS,
  DEFAULT_MAX_ANSWER_BYTES,
  makeFetchCallbackSender,
  fetchCallbackSenderLayer,
} from './lib/callbacks/fetch-callback-sender.adapter';
export {
  DTONE_CALLBACK_PATH,
  makeProviderCallbackUrls,
  providerCallbackUrlsLayer,
} from './lib/callbacks/provider-callback-urls.adapter';

// configuration
export {
  type Env,
  IntegerFromString,
  withoutEmpty,
  problemsOf,
  decodeEnvironment,
} from './lib/config/environment.schema';
export {
  LOCAL_SIMULATOR_DVS_URL,
  PROVIDER_KINDS,
  type ProviderKind,
  type ProviderSettings,
  type SchedulerSettings,
  type RuntimeSettings,
  RUNTIME_VARIABLES,
  callbackBaseUrlOf,
  providerSettingsFrom,
  runtimeSettingsFrom,
} from './lib/config/runtime.config';
export {
  type CommandRetrySettings,
  COMMAND_RETRY_EXPECTED,
  COMMAND_RETRY_FIELDS,
  commandRetryOf,
  commandRetryProblems,
} from './lib/config/command-retry.config';

// runtime
export { type ProviderLayer, providerLayerOf } from './lib/runtime/provider-layer';
export { type AppMainOptions, type StartedApp, runAppMain } from './lib/runtime/app-main.runner';
export { type DatabaseStartOptions, openMigratedDatabase } from './lib/runtime/database-start.runner';
export { DatabaseNotMigrated } from './lib/runtime/database-start.errors';
export {
  type PlatformServices,
  type PlatformRuntime,
  type PlatformRuntimeDependencies,
  type RuntimeMetrics,
  persistenceLayer,
  timedProviderLayer,
  platformLayer,
  makePlatformRuntime,
} from './lib/runtime/platform-runtime';

// workers
export {
  type ScheduledTask,
  type Scheduler,
  type SchedulerLogger,
  type SchedulerOptions,
  makeScheduler,
} from './lib/scheduler/scheduler.runner';
export {
  type CommandDelivery,
  type CommandHandler,
  type CommandRunner,
  type CommandRunnerFactory,
} from './lib/worker/command-runner.types';
export {
  type TopUpCommandServices,
  type TopUpCommandError,
  type HandledCommand,
  type CommandLogFields,
  type TopUpCommandSettings,
  type CommandRuntime,
  type TopUpCommandHandlerOptions,
  type TopUpCommandHandler,
  inboxKeyOf,
  neverAttempted,
  handleTopUpCommand,
  makeTopUpCommandHandler,
} from './lib/worker/top-up-command.handler';
export { FirstSendDeferred } from './lib/worker/top-up-command.errors';
export { type ConsumeRule, CONSUME_ERRORS, reasonOf, decisionOf } from './lib/worker/consume-errors.table';
export {
  type WorkerServices,
  type WorkerRuntime,
  type WorkerLoopSettings,
  type WorkerLoopChoice,
  type WorkerSchedulerOptions,
  runtimeTask,
  deliverCallbacksOptionsOf,
  topUpLoopOptionsOf,
  workerTasks,
  makeWorkerScheduler,
} from './lib/worker/worker-tasks';
export { type TopUpWorkers, type TopUpWorkersOptions, makeTopUpWorkers } from './lib/worker/top-up-workers.runner';
export { DEFAULT_COMMAND_BATCH_MAX, makeTopUpIntake, type TopUpIntake } from './lib/worker/top-up-intake.runner';
export {
  DEFAULT_CHANGE_BATCH_MAX,
  makeTopUpChangeWriter,
  withTopUpChangeWriter,
} from './lib/worker/top-up-change-writer.runner';
