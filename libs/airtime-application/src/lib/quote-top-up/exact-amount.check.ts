// The exact-amount option: a caller who must not send less than asked gets
// the quote only when its matched amount is exactly the amount asked.
import type { Quote } from '@airtime/domain';
import { Either } from 'effect';
import { ExactAmountUnavailable } from './quote-top-up.errors';

/**
 * With `exactAmount`, the quote's matched amount (in the request's currency)
 * must equal the amount asked: the desired amount, or the maximum when none
 * is given. Without it, any quote passes.
 */
export const checkExactAmount = (quote: Quote, exactAmount: boolean): Either.Either<Quote, ExactAmountUnavailable> => {
  const asked = quote.request.desiredAmount ?? quote.request.maxAmount;
  return !exactAmount || quote.matchedAmount.amountMinor === asked.amountMinor
    ? Either.right(quote)
    : Either.left(
        new ExactAmountUnavailable({
          currency: asked.currency.code,
          askedMinor: asked.amountMinor,
          offeredMinor: quote.matchedAmount.amountMinor,
        }),
      );
};
