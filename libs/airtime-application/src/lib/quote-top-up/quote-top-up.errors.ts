// The errors of reading a top-up request and choosing what to send for it
// (shared by requestTopUp, which quotes before it holds anything).
import { taggedError } from '@airtime/domain';

/** The request cannot be read or breaks a rule of its fields; `field` names the (first) field, never its value. */
export class InvalidTopUpRequest extends taggedError('InvalidTopUpRequest', {
  code: 'INVALID_TOP_UP_REQUEST',
  retryable: false,
})<{
  readonly field: string;
  readonly reason: string;
}>((e) => `invalid top-up request (${e.field}): ${e.reason}`) {}

/** The provider knows no operator for the number. */
export class OperatorNotFound extends taggedError('OperatorNotFound', {
  code: 'OPERATOR_NOT_FOUND',
  retryable: false,
})<{
  readonly countryIso: string;
}>((e) => `no operator found for the number (country ${e.countryIso})`) {}

/** The product the caller named is not offered for the number's operator. */
export class ProductNotFound extends taggedError('ProductNotFound', { code: 'PRODUCT_NOT_FOUND', retryable: false })<{
  readonly operatorId: string;
}>((e) => `the requested product is not offered by operator ${e.operatorId}`) {}

/**
 * The caller asked for the exact amount only (`exact_amount`) and the
 * products offer no such amount: nothing is held, nothing sent.
 */
export class ExactAmountUnavailable extends taggedError('ExactAmountUnavailable', {
  code: 'EXACT_AMOUNT_UNAVAILABLE',
  retryable: false,
})<{
  readonly currency: string;
  readonly askedMinor: bigint;
  readonly offeredMinor: bigint;
}>(
  (e) =>
    `the exact amount asked (${e.askedMinor} minor units of ${e.currency}) is not offered; the nearest is ${e.offeredMinor}`,
) {}
