// Test helpers of @airtime/application: in-memory layers of every port the use cases need.
// A: the in-memory world of the use cases (every port), the scripted provider, a sample catalogue
export {
  type InMemoryLayersOptions,
  type InMemoryWorld,
  inMemoryLayers,
  type InMemoryServices,
  SAMPLE_CALLBACK_SECRET,
} from './testing/in-memory-layers.fixture';
export { observingTopUpReads } from './testing/observed-top-up-reads.fixture';
export {
  type Tables,
  type OutboxRecord,
  type DeliveryRecord,
  type InMemoryDatabase,
  emptyTables,
  makeInMemoryDatabase,
  inMemoryUnitOfWorkLayer,
} from './testing/in-memory-database.fake';
export { makeInMemoryLedgerStore, inMemoryLedgerStoreLayer } from './testing/in-memory-ledger-store.adapter';
export {
  type InMemoryTransferLog,
  makeInMemoryTopUpRepository,
  makeInMemoryOutbox,
  makeInMemoryOutboxFeed,
  makeInMemoryInbox,
  makeInMemoryTopUpRequestStore,
  makeInMemoryCallbackDeliveryStore,
  setInMemoryCallbackSecret,
  makeInMemoryTransferLog,
  inMemoryStoreLayers,
} from './testing/in-memory-stores.adapter';
export {
  makeInMemoryAccountDirectory,
  makeInMemoryApiKeyStore,
  inMemoryAccountLayers,
} from './testing/in-memory-accounts.adapter';
export {
  type InMemoryConsoleSessionStore,
  makeInMemoryConsoleSessionStore,
  inMemoryConsoleSessionStoreLayer,
} from './testing/in-memory-console-sessions.adapter';
export {
  makeInMemoryTopUpQueries,
  makeInMemoryLedgerQueries,
  inMemoryQueryLayers,
} from './testing/in-memory-read-model.queries';
export { openFundedAccounts, principalOf, requestedTopUp } from './testing/api-access.fixture';
export { type ManualClock, makeManualClock, manualClockLayer } from './testing/manual-clock.fake';
export { type SequentialIds, makeSequentialIds, sequentialIdsLayer } from './testing/sequential-ids.fake';
export {
  type SendScript,
  type StatusScript,
  type ArrivedTransaction,
  type ProviderCall,
  type ScriptedProviderOptions,
  type ScriptedProvider,
  makeScriptedProvider,
  scriptedProviderLayer,
} from './testing/scripted-provider.fake';
export {
  USD,
  PHP,
  KES,
  sampleCatalogue,
  SAMPLE_PH_NUMBER,
  SAMPLE_KE_NUMBER,
  sampleRequestInput,
  fundAccount,
} from './testing/sample-catalogue.fixture';

// M: in-memory relay and callback doubles (unit of work with locks, outbox feed, broker, clock, callbacks)
export { type FakeTransaction, type RelayUnitOfWork, makeRelayUnitOfWork } from './testing/relay-unit-of-work.fake';
export {
  type RelayOutboxRecord,
  type RelayOutboxFeed,
  type RelayOutboxFeedOptions,
  makeRelayOutboxFeed,
} from './testing/relay-outbox-feed.fake';
export {
  type RelayEventPublisher,
  type RelayEventPublisherOptions,
  makeRelayEventPublisher,
} from './testing/relay-event-publisher.fake';
export { type RelayClock, makeRelayClock } from './testing/relay-clock.fake';
export {
  type RelayCallbackRecord,
  type RelayCallbackDeliveries,
  makeRelayCallbackDeliveries,
} from './testing/relay-callback-deliveries.fake';
export {
  type RelayCallbackPost,
  type RelayCallbackAnswer,
  type RelayCallbackSender,
  makeRelayCallbackSender,
} from './testing/relay-callback-sender.fake';

// Shared by the messaging adapters' specs: a pino-shaped logger that keeps its records
export { type LogRecord, type RecordingLogger, recordingLogger } from './testing/recording-logger.fake';

// Issue 11: the reconciliation store over the in-memory database
export {
  type ReconciliationTables,
  type InMemoryReconciliationStore,
  makeInMemoryReconciliationStore,
  inMemoryReconciliationStoreLayer,
} from './testing/in-memory-reconciliation-store.adapter';
