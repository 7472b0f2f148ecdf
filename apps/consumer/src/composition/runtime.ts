// The consumer's one effect runtime: the adapters' layers over the
// resources the container holds (the DataSource, the event publisher's
// confirm channel, the callback sender), the provider layer chosen by
// configuration (its exchanges appended to the TransferLog, its calls
// timed), the cached provider catalogue, the clock (CLOCK_SCALE), UUID v7
// ids, and effect's logger bridged to pino. Handlers and scheduler loops
// run use cases through it; it is disposed when the container closes.
import {
  cachedProviderCatalogueLayer,
  type CallbackDeliveryStore,
  CallbackSender,
  type CallbackSenderService,
  EventPublisher,
  type EventPublisherService,
  type Inbox,
  type OutboxFeed,
  type ProviderCatalogue,
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
  callbackDeliveryStoreLayer,
  inboxLayer,
  ledgerStoreLayer,
  outboxFeedLayer,
  outboxLayer,
  topUpRepositoryLayer,
  topUpRequestStoreLayer,
  transferLogLayer,
  unitOfWorkLayer,
} from '@airtime/persistence-postgres';
import { Effect, Layer, ManagedRuntime } from 'effect';
import type { DataSource } from 'typeorm';
import { meteredEventPublisher } from '../adapters/metered-event-publisher.adapter';
import { scaledClockLayer } from '../adapters/scaled-clock.adapter';
import { timedProvider } from '../adapters/timed-provider.adapter';
import { uuidIdGeneratorLayer } from '../adapters/uuid-id-generator.adapter';
import type { ConsumerMetrics } from '../observability/consumer-metrics';
import { type ConsumerLogger, pinoEffectLoggerLayer } from '../observability/logger';

/** The provider as a layer: it may append its exchanges to the TransferLog. */
export type ProviderLayer = Layer.Layer<AirtimeProvider, never, TransferLog>;

/** Every service the consumer's use cases need. */
export type ConsumerServices =
  | UnitOfWork
  | LedgerStore
  | TopUpRepository
  | Outbox
  | TopUpRequestStore
  | Inbox
  | TransferLog
  | OutboxFeed
  | CallbackDeliveryStore
  | Clock
  | IdGenerator
  | AirtimeProvider
  | ProviderCatalogue
  | EventPublisher
  | CallbackSender;

export type ConsumerRuntime = ManagedRuntime.ManagedRuntime<ConsumerServices, never>;

export interface ConsumerRuntimeDependencies {
  readonly dataSource: DataSource;
  readonly provider: ProviderLayer;
  readonly eventPublisher: EventPublisherService;
  readonly callbackSender: CallbackSenderService;
  readonly clock: ClockService;
  readonly logger: ConsumerLogger;
  readonly metrics: ConsumerMetrics;
}

/** The layers of every persistence port over one DataSource. */
export const persistenceLayer = (dataSource: DataSource) =>
  Layer.mergeAll(
    unitOfWorkLayer(dataSource),
    ledgerStoreLayer(dataSource),
    topUpRepositoryLayer(dataSource),
    outboxLayer(dataSource),
    topUpRequestStoreLayer(dataSource),
    inboxLayer(dataSource),
    transferLogLayer(dataSource),
    outboxFeedLayer(dataSource),
    callbackDeliveryStoreLayer(dataSource),
  );

/** The provider layer with each call timed in the provider latency histogram. */
const timedProviderLayer = (provider: ProviderLayer, metrics: ConsumerMetrics): ProviderLayer =>
  Layer.effect(
    AirtimeProvider,
    Effect.map(AirtimeProvider, (service) => timedProvider(service, metrics.providerLatency)),
  ).pipe(Layer.provide(provider));

/** The layer of every service of the consumer. */
export const consumerLayer = (dependencies: ConsumerRuntimeDependencies): Layer.Layer<ConsumerServices> => {
  const persistence = persistenceLayer(dependencies.dataSource);
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
  );
};

/** The consumer's ManagedRuntime (dispose it to release the provider's scope). */
export const makeConsumerRuntime = (dependencies: ConsumerRuntimeDependencies): ConsumerRuntime =>
  ManagedRuntime.make(consumerLayer(dependencies));
