import {
  InvalidProviderCallback,
  isPositivePrecise,
  type Money,
  type InvalidPhoneNumber,
  parseNationalNumber,
  parsePhoneNumber,
  parseProviderAmount,
  type PhoneNumber,
  type PreciseMoney,
  type ProviderCallback,
  type TransactionStatus,
  describeParseError,
} from '@airtime/domain';
import { Either, Schema } from 'effect';
import { AFRICASTALKING_PROVIDER_ID as PROVIDER } from '../config/africastalking.config';
import { parseAtAmount } from '../send/at-amount.codec';
import { AT_STATUSES, type AtStatus, callbackStatusOf } from '../status/status.mapper';

/** The body AT posts to the status callback URL (unknown fields are ignored). */
export const AtStatusCallbackBody = Schema.Struct({
  phoneNumber: Schema.String,
  status: Schema.Literal(...AT_STATUSES),
  requestId: Schema.NonEmptyTrimmedString,
  description: Schema.optional(Schema.String),
  discount: Schema.optional(Schema.String),
  value: Schema.optional(Schema.String),
});

/** A status callback, read: AT's words and their DVS meaning. */
export interface AtStatusNotice {
  readonly requestId: string;
  readonly atStatus: AtStatus;
  readonly status: TransactionStatus;
  readonly phoneNumber: string;
  readonly description?: string | undefined;
  /** What AT says was delivered, exactly as written ("PHP 99.995" stays 99.995). */
  readonly value?: PreciseMoney | undefined;
  readonly discount?: Money | undefined;
}

const invalid = (reason: string) => new InvalidProviderCallback({ provider: PROVIDER, reason });

const optionalAmount = (
  text: string | undefined,
  field: string,
): Either.Either<Money | undefined, InvalidProviderCallback> =>
  text === undefined
    ? Either.right(undefined)
    : Either.mapLeft(parseProviderAmount(text), () => invalid(`${field} is not an amount such as "KES 100.0000"`));

/** Reads a status callback body ("Success", "Failed", ... see status.mapper.ts for the DVS statuses). */
export const parseAfricasTalkingStatusCallback = (
  body: unknown,
): Either.Either<AtStatusNotice, InvalidProviderCallback> =>
  Either.gen(function* () {
    const fields = yield* Either.mapLeft(
      Schema.decodeUnknownEither(AtStatusCallbackBody)(body, { errors: 'all' }),
      (error) => invalid(describeParseError(error)),
    );
    const value =
      fields.value === undefined
        ? undefined
        : yield* Either.mapLeft(parseAtAmount(fields.value), (problem) => invalid(`value is ${problem}`));
    // a delivery of nothing (or less) is no delivery: refused, so the attempt is settled another way
    if (value !== undefined && callbackStatusOf(fields.status).class === 'COMPLETED' && !isPositivePrecise(value))
      return yield* Either.left(invalid('value is not a positive amount'));
    const discount = yield* optionalAmount(fields.discount, 'discount');
    return {
      requestId: fields.requestId,
      atStatus: fields.status,
      status: callbackStatusOf(fields.status),
      phoneNumber: fields.phoneNumber,
      ...(fields.description === undefined ? {} : { description: fields.description }),
      ...(value === undefined ? {} : { value }),
      ...(discount === undefined ? {} : { discount }),
    };
  });

/**
 * The port's view of a notice: matched on AT's requestId (AT does not echo
 * our idempotency key); `receive` only when delivered (a failure's value is
 * what was asked, not what arrived).
 */
export const toProviderCallback = (notice: AtStatusNotice): ProviderCallback => ({
  providerTransactionId: notice.requestId,
  status: notice.status,
  ...(notice.status.class === 'COMPLETED' && notice.value !== undefined ? { receive: notice.value } : {}),
});

/**
 * The number a status callback's `phoneNumber` names. AT writes E.164,
 * with or without the "+", but may write it nationally ("0711000111" in
 * KE): when the top-up its requestId names is known, the text is read with
 * libphonenumber in the country of that top-up's recipient (our number's
 * region as the default), so the recipient written nationally is the
 * recipient's E.164 number, and another subscriber's national number is
 * that subscriber's; text not read there (a number of another country, or
 * no recipient known) is read as E.164 with the "+" put back.
 * `InvalidPhoneNumber` (never carrying the text) when it is no number.
 */
export const statusCallbackNumber = (
  phoneNumber: string,
  recipient: PhoneNumber | undefined,
): Either.Either<PhoneNumber, InvalidPhoneNumber> => {
  const text = phoneNumber.trim();
  const international = () => parsePhoneNumber(text.startsWith('+') ? text : `+${text}`);
  return recipient === undefined
    ? international()
    : Either.orElse(parseNationalNumber(text, recipient.countryIso), international);
};
