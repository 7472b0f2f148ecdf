// The products for a number: each operator it may belong to with the
// products that operator offers, through the cached provider catalogue.
import type { Operator, Product, ProviderError } from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { phoneOf } from '../lookup-phone/lookup-phone.use-case';
import { ProviderCatalogue } from '../ports/provider-catalogue.port';

/** One operator a number may belong to and its products. */
export interface OperatorProducts {
  readonly operator: Operator;
  /** True when the provider is sure the number is this operator's. */
  readonly identified: boolean;
  readonly products: readonly Product[];
}

/**
 * The operators of the number (as `lookupPhone`, in the provider's order)
 * each with its products. A number no operator is known for answers an
 * empty list; `InvalidInput` for a text that is not a valid number
 * (`LookupPhoneInput`); the provider's errors as they are.
 */
export const productsForPhone = (
  phone: unknown,
): Effect.Effect<readonly OperatorProducts[], InvalidInput | ProviderError, ProviderCatalogue> =>
  Effect.gen(function* () {
    const number = yield* phoneOf(phone);
    const catalogue = yield* ProviderCatalogue;
    const matches = yield* catalogue.operatorsOf(number);
    return yield* Effect.forEach(
      matches,
      ({ operator, identified }) =>
        Effect.map(
          catalogue.productsOf({ countryIso: operator.countryIso, operatorId: operator.id }),
          (products): OperatorProducts => ({ operator, identified, products }),
        ),
      { concurrency: 4 },
    );
  });
