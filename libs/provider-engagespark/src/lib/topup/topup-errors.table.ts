import type { DetailedStatus } from '@airtime/domain';

interface KnownTopupError {
  readonly providerCode: string;
  /** What the refusal means, in our words (the reason of the error: engageSPARK's own text is never quoted). */
  readonly description: string;
  /** The DVS status the refusal stands for (for the attempt's record). */
  readonly status: DetailedStatus;
  readonly retryable: boolean;
}

/**
 * engageSPARK's documented error messages -> typed refusals.
 *
 * | error                       | providerCode        | DVS status                       | retryable |
 * | --------------------------- | ------------------- | -------------------------------- | --------- |
 * | "no matching product found" | NO_MATCHING_PRODUCT | REJECTED-INELIGIBLE-CREDIT-PARTY | no        |
 * | "invalid phone number"      | INVALID_PHONE_NUMBER| REJECTED-INVALID-CREDIT-PARTY    | no        |
 *
 * Both are validation refusals: nothing was sent and the same request would
 * be refused again. Any other message is unrecognized (see topup.client.ts).
 */
export const KNOWN_TOPUP_ERRORS: Readonly<Record<string, KnownTopupError>> = {
  'no matching product found': {
    providerCode: 'NO_MATCHING_PRODUCT',
    description: 'no product of the operator matches the amounts asked for',
    status: 'REJECTED-INELIGIBLE-CREDIT-PARTY',
    retryable: false,
  },
  'invalid phone number': {
    providerCode: 'INVALID_PHONE_NUMBER',
    description: 'the phone number is not valid for engageSPARK',
    status: 'REJECTED-INVALID-CREDIT-PARTY',
    retryable: false,
  },
};

/** The known error a message stands for (case, spaces and a final period ignored). */
export const knownTopupError = (message: string): KnownTopupError | undefined =>
  KNOWN_TOPUP_ERRORS[message.trim().toLowerCase().replace(/\.$/, '')];
