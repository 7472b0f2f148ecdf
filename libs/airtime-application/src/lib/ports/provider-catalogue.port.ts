// What the provider offers for a number: its operators and their products,
// read through a cache (see provider-catalogue/) so that a busy consumer does
// not ask the provider for the same catalogue at every request.
import { Context, type Effect } from 'effect';
import type { OperatorMatch, PhoneNumber, Product, ProviderError } from '@airtime/domain';

/** The products of one operator of one country. */
export interface CatalogueKey {
  readonly countryIso: string;
  readonly operatorId: string;
}

export interface ProviderCatalogueService {
  /** The operators a number may belong to (`AirtimeProvider.lookupOperators`, cached). */
  readonly operatorsOf: (phone: PhoneNumber) => Effect.Effect<readonly OperatorMatch[], ProviderError>;
  /** The products of an operator (`AirtimeProvider.listProducts`, cached). */
  readonly productsOf: (key: CatalogueKey) => Effect.Effect<readonly Product[], ProviderError>;
}

export class ProviderCatalogue extends Context.Tag('@airtime/application/ProviderCatalogue')<
  ProviderCatalogue,
  ProviderCatalogueService
>() {}
