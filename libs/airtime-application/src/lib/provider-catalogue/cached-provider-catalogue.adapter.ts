// The provider's catalogue through in-memory caches (effect `Cache`): operator
// lookups per number and product lists per operator are kept for a time to
// live; a failed call is not kept, so the next request asks again.
import {
  AirtimeProvider,
  type OperatorMatch,
  type PhoneNumber,
  type Product,
  type ProviderError,
} from '@airtime/domain';
import { Cache, Data, Duration, Effect, Exit, Layer } from 'effect';
import { type CatalogueKey, ProviderCatalogue, type ProviderCatalogueService } from '../ports/provider-catalogue.port';

export interface ProviderCatalogueCacheOptions {
  /** How long an operator lookup is kept (default 10 minutes). */
  readonly operatorsTtlMs?: number | undefined;
  /** How long a product list is kept (default 5 minutes). */
  readonly productsTtlMs?: number | undefined;
  /** Entries kept per cache at most (default 10,000). */
  readonly capacity?: number | undefined;
}

export const DEFAULT_OPERATORS_TTL_MS = 10 * 60_000;
export const DEFAULT_PRODUCTS_TTL_MS = 5 * 60_000;
const DEFAULT_CAPACITY = 10_000;

const keptFor =
  (ttlMs: number) =>
  <A, E>(exit: Exit.Exit<A, E>): Duration.Duration =>
    Exit.isSuccess(exit) ? Duration.millis(ttlMs) : Duration.zero;

/** A catalogue over `AirtimeProvider`, cached per number (operators) and per operator (products). */
export const makeCachedProviderCatalogue = (
  options: ProviderCatalogueCacheOptions = {},
): Effect.Effect<ProviderCatalogueService, never, AirtimeProvider> =>
  Effect.gen(function* () {
    const provider = yield* AirtimeProvider;
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    const operators = yield* Cache.makeWith<PhoneNumber, readonly OperatorMatch[], ProviderError>({
      capacity,
      lookup: (phone) =>
        provider.lookupOperators({ e164: phone.e164, countryIso: phone.countryIso, callingCode: phone.callingCode }),
      timeToLive: keptFor(options.operatorsTtlMs ?? DEFAULT_OPERATORS_TTL_MS),
    });
    const products = yield* Cache.makeWith<CatalogueKey, readonly Product[], ProviderError>({
      capacity,
      lookup: (key) => provider.listProducts({ countryIso: key.countryIso, operatorId: key.operatorId }),
      timeToLive: keptFor(options.productsTtlMs ?? DEFAULT_PRODUCTS_TTL_MS),
    });
    // a failure is dropped at once (its time to live of zero still spans the current millisecond)
    const fresh = <K, A, E>(cache: Cache.Cache<K, A, E>, key: K) =>
      Effect.tapError(cache.get(key), () => cache.invalidate(key));
    return {
      // Data.struct: keys compared by value, not by reference
      operatorsOf: (phone) => fresh(operators, Data.struct({ ...phone })),
      productsOf: (key) => fresh(products, Data.struct({ countryIso: key.countryIso, operatorId: key.operatorId })),
    };
  });

/** The cached catalogue as a layer (needs `AirtimeProvider`). */
export const cachedProviderCatalogueLayer = (
  options: ProviderCatalogueCacheOptions = {},
): Layer.Layer<ProviderCatalogue, never, AirtimeProvider> =>
  Layer.effect(ProviderCatalogue, makeCachedProviderCatalogue(options));
