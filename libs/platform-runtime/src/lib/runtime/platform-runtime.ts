// The platform's one effect runtime (each app builds one): the adapters'
// layers over the resources the app's container holds (the DataSource, the
// event publisher, the callback sender), the provider layer chosen by
// configuration (its exchanges appended to the TransferLog, its calls
// timed), the cached provider catalogue, the clock (CLOCK_SCALE), UUID v7
// ids, the provider callback URLs when the API's base is configured, and
// effect's logger bridged to pino. Handlers, routes and scheduler loops run
// use cases through it; the app disposes it when its container closes.
import {
  type AccountDirectory,
  type ApiKeyStore,
  cachedProviderCatalogueLayer,
  type CallbackDeliveryStore,
  CallbackSender,
  type CallbackSenderService,
  type ConsoleSessionStore,
  EventPublisher,
  type EventPublisherService,
  type Inbox,
  type LedgerQueries,
  type OutboxFeed,
  type ProviderCatalogue,
  type TopUpQueries,
  type TopUpRequestStore,
  type TransferLog,
} from '@airtime/application';
import {
  AirtimeProvider,
  type Clock,
  type ClockService,
  type IdGenerator,
  type LedgerStore,
  type Outbox,
  type TopUpRepository,
  type UnitOfWork,
} from '@airtime/domain';
import {
  accountDirectoryLayer,
  apiKeyStoreLayer,
  callbackDeliveryStoreLayer,
  consoleSessionStoreLayer,
  inboxLayer,
  ledgerQueriesLayer,
  batchedLedgerStoreLayer,
  type LedgerBatchConfig,
  type GroupCommitConfig,
  groupCommitUnitOfWorkLayer,
  outboxFeedLayer,
  outboxLayer,
  topUpQueriesLayer,
  topUpRepositoryLayer,
  topUpRequestStoreLayer,
  transferLogLayer,
} from '@airtime/persistence-postgres';
import { Effect, Layer, ManagedRuntime } from 'effect';
import type { DataSource } from 'typeorm';
import { meteredEventPublisher } from '../adapters/metered-event-publisher.adapter';
import { scaledClockLayer } from '../adapters/scaled-clock.adapter';
import { timedProvider } from '../adapters/timed-provider.adapter';
import { uuidIdGeneratorLayer } from '../adapters/uuid-id-generator.adapter';
import { providerCallbackUrlsLayer } from '../callbacks/provider-callback-urls.adapter';
import { type PlatformLogger, pinoEffectLoggerLayer } from '../observability/logger';
import type { PlatformMetrics } from '../observability/platform-metrics';
import type { ProviderLayer } from './provider-layer';

/**
 * Every service the platform's use cases need (ProviderCallbackUrls, which
 * the sends read when it is there, is provided only with a base URL).
 */
export type PlatformServices =
  | UnitOfWork
  | LedgerStore
  | TopUpRepository
  | Outbox
  | TopUpRequestStore
  | Inbox
  | TransferLog
  | OutboxFeed
  | CallbackDeliveryStore
  | AccountDirectory
  | ApiKeyStore
  | ConsoleSessionStore
  | TopUpQueries
  | LedgerQueries
  | Clock
  | IdGenerator
  | AirtimeProvider
  | ProviderCatalogue
  | EventPublisher
  | CallbackSender;

export type PlatformRuntime = ManagedRuntime.ManagedRuntime<PlatformServices, never>;

/** The metrics the runtime's adapters count in. */
export type RuntimeMetrics = Pick<
  PlatformMetrics,
  'providerLatency' | 'eventsPublished' | 'finalTopUps' | 'retriesScheduled' | 'unknownOutcomes'
>;

export interface PlatformRuntimeDependencies {
  readonly dataSource: DataSource;
  /** The batched ledger store's bounds (the runtime settings' `ledgerBatch`); its defaults when not given. */
  readonly ledgerBatch?: Partial<LedgerBatchConfig> | undefined;
  /** The group-commit unit of work's bounds (the runtime settings' `groupCommit`); its defaults when not given. */
  readonly groupCommit?: Partial<GroupCommitConfig> | undefined;
  readonly provider: ProviderLayer;
  /** Where the outbox relay publishes events (RabbitMQ's confirm publisher, or the in-process bus). */
  readonly eventPublisher: EventPublisherService;
  readonly callbackSender: CallbackSenderService;
  readonly clock: ClockService;
  readonly logger: PlatformLogger;
  readonly metrics: RuntimeMetrics;
  /**
   * The API's public base URL (`PROVIDER_CALLBACK_BASE_URL`): when set, the
   * runtime provides ProviderCallbackUrls and each send carries
   * `<base>/callbacks/dtone/<callback token>`.
   */
  readonly providerCallbackBaseUrl?: string | undefined;
}

/**
 * The layers of every persistence port over one DataSource: the top-up
 * flow's (unit of work, ledger, top-ups, outbox, requests, inbox, transfer
 * log, outbox feed, callback deliveries) and the API's (accounts, API keys,
 * the console's sessions, top-up and ledger queries). Units of work opened
 * at once share a transaction and a commit (group commit, `groupCommit` its
 * bounds), and the ledger is the batched store (`ledgerBatch` its bounds;
 * inside a unit of work its movements run in that transaction). Defaults
 * when not given.
 */
export const persistenceLayer = (
  dataSource: DataSource,
  bounds: { readonly ledgerBatch?: Partial<LedgerBatchConfig>; readonly groupCommit?: Partial<GroupCommitConfig> } = {},
) =>
  Layer.mergeAll(
    groupCommitUnitOfWorkLayer(dataSource, bounds.groupCommit),
    batchedLedgerStoreLayer(dataSource, bounds.ledgerBatch),
    topUpRepositoryLayer(dataSource),
    outboxLayer(dataSource),
    topUpRequestStoreLayer(dataSource),
    inboxLayer(dataSource),
    transferLogLayer(dataSource),
    outboxFeedLayer(dataSource),
    callbackDeliveryStoreLayer(dataSource),
    accountDirectoryLayer(dataSource),
    apiKeyStoreLayer(dataSource),
    consoleSessionStoreLayer(dataSource),
    topUpQueriesLayer(dataSource),
    ledgerQueriesLayer(dataSource),
  );

/** The provider layer with each call timed in the provider latency histogram. */
export const timedProviderLayer = (
  provider: ProviderLayer,
  metrics: Pick<PlatformMetrics, 'providerLatency'>,
): ProviderLayer =>
  Layer.effect(
    AirtimeProvider,
    Effect.map(AirtimeProvider, (service) => timedProvider(service, metrics.providerLatency)),
  ).pipe(Layer.provide(provider));

/** The layer of every service of the platform (and ProviderCallbackUrls with a base URL). */
export const platformLayer = (dependencies: PlatformRuntimeDependencies): Layer.Layer<PlatformServices> => {
  const persistence = persistenceLayer(dependencies.dataSource, {
    ...(dependencies.ledgerBatch === undefined ? {} : { ledgerBatch: dependencies.ledgerBatch }),
    ...(dependencies.groupCommit === undefined ? {} : { groupCommit: dependencies.groupCommit }),
  });
  const provider = timedProviderLayer(dependencies.provider, dependencies.metrics).pipe(Layer.provide(persistence));
  const catalogue = cachedProviderCatalogueLayer().pipe(Layer.provide(provider));
  return Layer.mergeAll(
    persistence,
    provider,
    catalogue,
    scaledClockLayer(dependencies.clock),
    uuidIdGeneratorLayer(),
    Layer.succeed(EventPublisher, meteredEventPublisher(dependencies.eventPublisher, dependencies.metrics)),
    Layer.succeed(CallbackSender, dependencies.callbackSender),
    pinoEffectLoggerLayer(dependencies.logger),
    dependencies.providerCallbackBaseUrl === undefined
      ? Layer.empty
      : providerCallbackUrlsLayer(dependencies.providerCallbackBaseUrl),
  );
};

/** The platform's ManagedRuntime (dispose it to release the provider's scope). */
export const makePlatformRuntime = (dependencies: PlatformRuntimeDependencies): PlatformRuntime =>
  ManagedRuntime.make(platformLayer(dependencies));
