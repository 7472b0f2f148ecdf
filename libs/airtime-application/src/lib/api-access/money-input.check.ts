// Reads a currency code and a decimal amount of an admin input into the
// domain's exact Money (never a float), each refusal an InvalidInput naming
// the field.
import { type Currency, currencyOf, type Money, parseMoney } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { InvalidInput } from './api-access.errors';

/** The currency of an ISO 4217 code the platform knows (with minor units). */
export const checkCurrencyField = (field: string, code: string): Effect.Effect<Currency, InvalidInput> =>
  Either.match(currencyOf(code), {
    onLeft: () => Effect.fail(new InvalidInput({ field, reason: 'not a currency the platform knows' })),
    onRight: Effect.succeed,
  });

/**
 * The exact amount of a decimal text in `currency`'s major units; digits
 * past the currency's exponent must be zeros (never rounded). With
 * `positive`, zero is refused too.
 */
export const checkAmountField = (
  field: string,
  text: string,
  currency: Currency,
  { positive }: { readonly positive: boolean },
): Effect.Effect<Money, InvalidInput> =>
  Either.match(parseMoney(text, currency), {
    onLeft: (error) => Effect.fail(new InvalidInput({ field, reason: error.reason })),
    onRight: (amount) =>
      positive && amount.amountMinor <= 0n
        ? Effect.fail(new InvalidInput({ field, reason: 'must be more than zero' }))
        : Effect.succeed(amount),
  });
