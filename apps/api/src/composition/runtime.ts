// The API's one effect runtime: the platform's layers (every persistence
// port over the DataSource, the provider with its exchanges in the
// TransferLog and its calls timed, the cached catalogue, the clock, UUID v7
// ids, the event publisher and callback sender the workers use when they run
// in this process, ProviderCallbackUrls with PROVIDER_CALLBACK_BASE_URL, the
// pino logger bridge) plus the API's own ports: the account directory, the
// API keys, the top-up and ledger queries, and the TopUpCommandQueue the
// accepted top-ups are enqueued on. Routes run use cases through it.
import {
  type AccountDirectory,
  type ApiKeyStore,
  type LedgerQueries,
  TopUpCommandQueue,
  type TopUpCommandQueueService,
  type TopUpQueries,
} from '@airtime/application';
import {
  accountDirectoryLayer,
  apiKeyStoreLayer,
  ledgerQueriesLayer,
  topUpQueriesLayer,
} from '@airtime/persistence-postgres';
import { platformLayer, type PlatformRuntimeDependencies, type PlatformServices } from '@airtime/platform-runtime';
import { Layer, ManagedRuntime } from 'effect';
import type { DataSource } from 'typeorm';

/** Every service the API's routes (and the workers, when they run in the API process) need. */
export type ApiServices =
  PlatformServices | AccountDirectory | ApiKeyStore | TopUpQueries | LedgerQueries | TopUpCommandQueue;

export type ApiRuntime = ManagedRuntime.ManagedRuntime<ApiServices, never>;

export interface ApiRuntimeDependencies extends PlatformRuntimeDependencies {
  /** Where accepted top-ups' commands go (RabbitMQ's commands exchange, or the in-process bus). */
  readonly commandQueue: TopUpCommandQueueService;
}

/** The layers of the API's own persistence ports over the DataSource. */
export const apiPersistenceLayer = (dataSource: DataSource) =>
  Layer.mergeAll(
    accountDirectoryLayer(dataSource),
    apiKeyStoreLayer(dataSource),
    topUpQueriesLayer(dataSource),
    ledgerQueriesLayer(dataSource),
  );

/** The layer of every service of the API. */
export const apiLayer = (dependencies: ApiRuntimeDependencies): Layer.Layer<ApiServices> =>
  Layer.mergeAll(
    platformLayer(dependencies),
    apiPersistenceLayer(dependencies.dataSource),
    Layer.succeed(TopUpCommandQueue, dependencies.commandQueue),
  );

/** The API's ManagedRuntime (dispose it to release the provider's scope). */
export const makeApiRuntime = (dependencies: ApiRuntimeDependencies): ApiRuntime =>
  ManagedRuntime.make(apiLayer(dependencies));
