// Quote a top-up: find the number's operator and its products (cached),
// select the denomination, and hold the exact-amount option to it. Nothing
// is held or stored: requestTopUp quotes the same way before it holds.
import {
  type OperatorMatch,
  type ProviderError,
  type Quote,
  type SelectionError,
  selectDenomination,
} from '@airtime/domain';
import { Effect } from 'effect';
import { type ProviderCatalogue, ProviderCatalogue as Catalogue } from '../ports/provider-catalogue.port';
import { checkExactAmount } from './exact-amount.check';
import {
  type ExactAmountUnavailable,
  type InvalidTopUpRequest,
  OperatorNotFound,
  ProductNotFound,
} from './quote-top-up.errors';
import { QuoteTopUpInput } from './quote-top-up.input';
import { checkQuotedTopUpRequest, type TopUpRequestRules } from '../request-top-up/request-top-up.check';
import { decodeRequest, type QuoteRequest } from './top-up-request.check';

export type QuoteError = OperatorNotFound | ProductNotFound | SelectionError | ExactAmountUnavailable | ProviderError;

/** The operator a number belongs to: the one the provider identified, else its first guess. */
const operatorOf = (matches: readonly OperatorMatch[]): OperatorMatch | undefined =>
  matches.find((match) => match.identified) ?? matches[0];

/** The quote for a checked request (see `quoteTopUp`). */
export const quoteFor = (request: QuoteRequest): Effect.Effect<Quote, QuoteError, ProviderCatalogue> =>
  Effect.gen(function* () {
    const catalogue = yield* Catalogue;
    const match = operatorOf(yield* catalogue.operatorsOf(request.destination));
    if (match === undefined) return yield* new OperatorNotFound({ countryIso: request.destination.countryIso });
    const { operator } = match;
    const offered = yield* catalogue.productsOf({ countryIso: operator.countryIso, operatorId: operator.id });
    const products =
      request.productId === undefined ? offered : offered.filter((product) => product.id === request.productId);
    if (products.length === 0 && request.productId !== undefined)
      return yield* new ProductNotFound({ operatorId: operator.id });
    const quote = yield* selectDenomination(products, {
      maxAmount: request.maxAmount,
      ...(request.desiredAmount === undefined ? {} : { desiredAmount: request.desiredAmount }),
    });
    return yield* checkExactAmount(quote, request.exactAmount);
  });

/**
 * A dry run of requestTopUp: decodes `QuoteTopUpInput` (a request's body,
 * its ids optional) and checks every field given as requestTopUp does, with
 * the same `rules` (a field the request refuses is refused here, naming it);
 * finds the operator and its products, and answers the quote (product,
 * amount received, cost, rule) without holding or storing anything.
 */
export const quoteTopUp = (
  input: unknown,
  rules: TopUpRequestRules = {},
): Effect.Effect<Quote, InvalidTopUpRequest | QuoteError, ProviderCatalogue> =>
  Effect.flatMap(
    Effect.flatMap(decodeRequest(QuoteTopUpInput)(input), (decoded) => checkQuotedTopUpRequest(decoded, rules)),
    quoteFor,
  );
