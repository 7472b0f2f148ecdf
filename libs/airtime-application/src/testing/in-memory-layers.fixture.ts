// One call sets up everything a use case needs in memory: the database and its
// stores, the pure ledger behind LedgerStore, a manual clock, sequential ids,
// the scripted provider and the cached catalogue over it, as one layer and one
// runtime, with the handles a spec drives and inspects.
import type { Product } from '@airtime/domain';
import { Effect, type Either, Layer, ManagedRuntime } from 'effect';
import { cachedProviderCatalogueLayer } from '../lib/provider-catalogue/cached-provider-catalogue.adapter';
import { type InMemoryDatabase, inMemoryUnitOfWorkLayer, makeInMemoryDatabase } from './in-memory-database.fake';
import { inMemoryLedgerStoreLayer } from './in-memory-ledger-store.adapter';
import { inMemoryAccountLayers } from './in-memory-accounts.adapter';
import {
  type InMemoryConsoleSessionStore,
  inMemoryConsoleSessionStoreLayer,
  makeInMemoryConsoleSessionStore,
} from './in-memory-console-sessions.adapter';
import { inMemoryQueryLayers } from './in-memory-read-model.queries';
import {
  type InMemoryReconciliationStore,
  inMemoryReconciliationStoreLayer,
  makeInMemoryReconciliationStore,
} from './in-memory-reconciliation-store.adapter';
import {
  type InMemoryTransferLog,
  inMemoryStoreLayers,
  makeInMemoryTransferLog,
  setInMemoryCallbackSecret,
} from './in-memory-stores.adapter';
import { makeManualClock, type ManualClock, manualClockLayer } from './manual-clock.fake';
import {
  makeScriptedProvider,
  type ScriptedProvider,
  type ScriptedProviderOptions,
  scriptedProviderLayer,
} from './scripted-provider.fake';
import { makeSequentialIds, type SequentialIds, sequentialIdsLayer } from './sequential-ids.fake';

export interface InMemoryLayersOptions extends Partial<Omit<ScriptedProviderOptions, 'transferLog' | 'now'>> {
  readonly start?: Date | undefined;
  readonly idPrefix?: string | undefined;
  /** Catalogue cache time to live, for operators and products alike (defaults: 10 and 5 minutes). */
  readonly catalogueTtlMs?: number | undefined;
  /**
   * Each account's callback signing secret, by account id (a request with a
   * `callback_url` is refused for an account without one). Default: the
   * sample request's account, `account-1`, has `SAMPLE_CALLBACK_SECRET`;
   * `{}` for none.
   */
  readonly callbackSecrets?: Readonly<Record<string, string>> | undefined;
}

/** The callback signing secret the in-memory world gives the sample account (`account-1`) unless told otherwise. */
export const SAMPLE_CALLBACK_SECRET = 'sample-callback-signing-secret-0123456789';

interface Handles {
  readonly database: InMemoryDatabase;
  readonly clock: ManualClock;
  readonly ids: SequentialIds;
  readonly provider: ScriptedProvider;
  readonly transferLog: InMemoryTransferLog;
  readonly reconciliation: InMemoryReconciliationStore;
  readonly consoleSessions: InMemoryConsoleSessionStore;
}

const servicesOf = (handles: Handles, catalogueTtlMs: number | undefined) => {
  const provider = scriptedProviderLayer(handles.provider);
  return Layer.mergeAll(
    inMemoryUnitOfWorkLayer(handles.database),
    inMemoryLedgerStoreLayer(handles.database),
    inMemoryStoreLayers(handles.database, handles.transferLog),
    inMemoryAccountLayers(handles.database),
    inMemoryQueryLayers(handles.database),
    inMemoryReconciliationStoreLayer(handles.reconciliation),
    inMemoryConsoleSessionStoreLayer(handles.consoleSessions),
    manualClockLayer(handles.clock),
    sequentialIdsLayer(handles.ids),
    provider,
    Layer.provide(
      cachedProviderCatalogueLayer(
        catalogueTtlMs === undefined ? {} : { operatorsTtlMs: catalogueTtlMs, productsTtlMs: catalogueTtlMs },
      ),
      provider,
    ),
  );
};

/** The services of the in-memory world: every port the use cases need. */
export type InMemoryServices = Layer.Layer.Success<ReturnType<typeof servicesOf>>;

export interface InMemoryWorld extends Handles {
  readonly layer: Layer.Layer<InMemoryServices>;
  /** One runtime over `layer` (one catalogue cache for all runs). */
  readonly runtime: ManagedRuntime.ManagedRuntime<InMemoryServices, never>;
  /** Runs an effect on the runtime; rejects with its failure. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, InMemoryServices>) => Promise<A>;
  /** Runs an effect on the runtime, answering its failure as a value. */
  readonly runEither: <A, E>(effect: Effect.Effect<A, E, InMemoryServices>) => Promise<Either.Either<A, E>>;
}

/** A fresh in-memory world: every port of the use cases, and the handles to drive them. */
export const inMemoryLayers = (options: InMemoryLayersOptions = {}): InMemoryWorld => {
  const database = makeInMemoryDatabase();
  for (const [accountId, secret] of Object.entries(options.callbackSecrets ?? { 'account-1': SAMPLE_CALLBACK_SECRET }))
    Effect.runSync(setInMemoryCallbackSecret(database, accountId, secret));
  const clock = makeManualClock(options.start);
  const transferLog = makeInMemoryTransferLog(database);
  const products: readonly Product[] = options.products ?? [];
  const provider = makeScriptedProvider({ ...options, products, transferLog, now: clock.current });
  const ids = makeSequentialIds(options.idPrefix ?? 'topup');
  const reconciliation = makeInMemoryReconciliationStore(database);
  const consoleSessions = makeInMemoryConsoleSessionStore(database);
  const handles = { database, clock, ids, provider, transferLog, reconciliation, consoleSessions };
  const layer = servicesOf(handles, options.catalogueTtlMs);
  const runtime = ManagedRuntime.make(layer);
  return {
    ...handles,
    layer,
    runtime,
    run: (effect) => runtime.runPromise(effect),
    runEither: (effect) => runtime.runPromise(Effect.either(effect)),
  };
};
