// Reads the decoded fields of a request into domain values (number, currency,
// amounts), each refusal an `InvalidTopUpRequest` naming the field, never its value.
import {
  currencyOf,
  type Currency,
  decodeNamingField,
  type Money,
  moneyFromJsonNumber,
  parseInternationalDigits,
  parseMoney,
  parsePhoneNumber,
  type PhoneNumber,
} from '@airtime/domain';
import { Either, type Schema } from 'effect';
import { InvalidTopUpRequest } from './quote-top-up.errors';
import type { QuoteTopUpInput } from './quote-top-up.input';

/** What chooses the product and amount of a top-up. */
export interface QuoteRequest {
  readonly destination: PhoneNumber;
  readonly maxAmount: Money;
  readonly desiredAmount?: Money | undefined;
  readonly productId?: string | undefined;
  readonly exactAmount: boolean;
}

const invalid = (field: string, reason: string) => Either.left(new InvalidTopUpRequest({ field, reason }));

/** Decodes `input` with `schema`; a failure names the first field that failed (`the body` when it is the whole; `describeParseError` says how). */
export const decodeRequest = <A, I>(schema: Schema.Schema<A, I>) =>
  decodeNamingField(schema, 'the body', (field, reason) => new InvalidTopUpRequest({ field, reason }));

/** A destination in E.164 (`+63...`) or international digits (`63...`). */
export const checkPhoneNumber = (text: string): Either.Either<PhoneNumber, InvalidTopUpRequest> =>
  Either.mapLeft(
    /^\d+$/.test(text) ? parseInternationalDigits(text) : parsePhoneNumber(text),
    (error) => new InvalidTopUpRequest({ field: 'phone_number', reason: error.reason }),
  );

export const checkCurrencyCode = (code: string): Either.Either<Currency, InvalidTopUpRequest> =>
  Either.mapLeft(currencyOf(code), (error) => new InvalidTopUpRequest({ field: 'currency', reason: error.message }));

/** An exact amount of `currency` from a decimal text or a JSON number (read by its decimal text). */
export const checkAmount = (
  field: string,
  value: string | number,
  currency: Currency,
): Either.Either<Money, InvalidTopUpRequest> =>
  Either.mapLeft(
    typeof value === 'number' ? moneyFromJsonNumber(value, currency) : parseMoney(value, currency),
    (error) => new InvalidTopUpRequest({ field, reason: error.reason }),
  );

/**
 * An amount asked for (`max_amount`, `desired_amount`): exact, as
 * `checkAmount` reads it, and above zero (`0`, `0.00`, `-0` choose nothing).
 */
const checkAskedAmount = (
  field: string,
  value: string | number,
  currency: Currency,
): Either.Either<Money, InvalidTopUpRequest> =>
  Either.flatMap(checkAmount(field, value, currency), (money) =>
    money.amountMinor > 0n ? Either.right(money) : invalid(field, 'must be greater than zero'),
  );

/** 1 to 100 characters (code points, as identifiers are counted) without white space. */
const PRODUCT_ID = /^[^\s]{1,100}$/u;

/** The domain values of a decoded quote (or request) input. */
export const checkQuoteRequest = (input: QuoteTopUpInput): Either.Either<QuoteRequest, InvalidTopUpRequest> =>
  Either.gen(function* () {
    const destination = yield* checkPhoneNumber(input.phone_number);
    const currency = yield* checkCurrencyCode(input.currency);
    const maxAmount = yield* checkAskedAmount('max_amount', input.max_amount, currency);
    const desiredAmount =
      input.desired_amount === undefined
        ? undefined
        : yield* checkAskedAmount('desired_amount', input.desired_amount, currency);
    if (input.product_id !== undefined && !PRODUCT_ID.test(input.product_id))
      return yield* invalid('product_id', 'expected 1 to 100 characters without spaces');
    return {
      destination,
      maxAmount,
      ...(desiredAmount === undefined ? {} : { desiredAmount }),
      ...(input.product_id === undefined ? {} : { productId: input.product_id }),
      exactAmount: input.exact_amount,
    };
  });
