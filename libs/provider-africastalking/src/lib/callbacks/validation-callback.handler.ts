import {
  currencyOf,
  InvalidProviderCallback,
  type Money,
  moneyEquals,
  moneyFromJsonNumber,
  parseMoney,
  parsePhoneNumber,
  type PhoneNumber,
  describeParseError,
} from '@airtime/domain';
import { Effect, Either, Option, Schema } from 'effect';
import { AFRICASTALKING_PROVIDER_ID as PROVIDER } from '../config/africastalking.config';
import type { SentAirtime } from './sent-airtime-registry';

/** What AT posts to the validation callback URL before it releases airtime (unknown fields are ignored). */
export const AtValidationCallbackBody = Schema.Struct({
  transactionId: Schema.NonEmptyTrimmedString,
  phoneNumber: Schema.NonEmptyTrimmedString,
  currencyCode: Schema.NonEmptyTrimmedString,
  amount: Schema.Union(Schema.Number, Schema.NonEmptyTrimmedString),
  sourceIpAddress: Schema.optional(Schema.String),
});
export type AtValidationCallbackBody = typeof AtValidationCallbackBody.Type;

/** The answer AT expects: release the airtime or not. */
export interface AtValidationAnswer {
  readonly status: 'Validated' | 'Failed';
}

export const VALIDATED: AtValidationAnswer = Object.freeze({ status: 'Validated' });
export const VALIDATION_FAILED: AtValidationAnswer = Object.freeze({ status: 'Failed' });

/** Our number and amount as AT states them; undefined when they are not a number or an exact amount. */
const claimedPhone = (text: string): PhoneNumber | undefined =>
  Either.getOrUndefined(parsePhoneNumber(text.startsWith('+') ? text : `+${text}`));

const claimedAmount = (body: AtValidationCallbackBody): Money | undefined => {
  const currency = Either.getOrUndefined(currencyOf(body.currencyCode.trim()));
  if (currency === undefined) return undefined;
  return Either.getOrUndefined(
    typeof body.amount === 'number' ? moneyFromJsonNumber(body.amount, currency) : parseMoney(body.amount, currency),
  );
};

/** Whether the callback describes exactly this accepted send: same id, number, amount and currency. */
export const matchesSentAirtime = (body: AtValidationCallbackBody, sent: SentAirtime): boolean => {
  const phone = claimedPhone(body.phoneNumber.trim());
  const amount = claimedAmount(body);
  return (
    body.transactionId === sent.transactionId &&
    phone !== undefined &&
    phone.e164 === sent.destination.e164 &&
    amount !== undefined &&
    moneyEquals(amount, sent.amount)
  );
};

/**
 * Answers a validation callback: `Validated` only for a transaction we sent
 * (found by its id, the same number, amount and currency), `Failed` for
 * anything else. A body missing fields is an `InvalidProviderCallback` (400).
 */
export const answerValidationCallback = <E = never, R = never>(
  body: unknown,
  findSent: (transactionId: string) => Effect.Effect<Option.Option<SentAirtime>, E, R>,
): Effect.Effect<AtValidationAnswer, InvalidProviderCallback | E, R> =>
  Effect.gen(function* () {
    const claim = yield* Either.mapLeft(
      Schema.decodeUnknownEither(AtValidationCallbackBody)(body, { errors: 'all' }),
      (error) => new InvalidProviderCallback({ provider: PROVIDER, reason: describeParseError(error) }),
    );
    const sent = yield* findSent(claim.transactionId);
    return Option.isSome(sent) && matchesSentAirtime(claim, sent.value) ? VALIDATED : VALIDATION_FAILED;
  });
