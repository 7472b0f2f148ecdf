// The DVS error table: every code of the reference, what it comes to, and what else it implies for us.
import {
  ExternalIdAlreadyUsed,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRateLimited,
  ProviderRejected,
  ProviderUnavailable,
} from '@airtime/domain';
import type { CallKind } from '@airtime/provider-http-kit';
import { Either, Schema } from 'effect';
import { DvsErrorBody } from '../schemas/dvs-error.schema';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

/** What an error code means to us. */
export type DvsErrorOutcome = 'rejected' | 'unavailable' | 'rate-limited' | 'external-id-already-used';

/**
 * What else a code tells us, beyond the error it comes to.
 * - `fresh-operator-lookup`: the number is not (or no longer) on the chosen
 *   operator (a ported number): look the operator up again.
 * - `stale-product-catalogue`: the product is gone from our account: the
 *   cached catalogue is out of date and must be downloaded again.
 */
export type DvsCodeImplication = 'fresh-operator-lookup' | 'stale-product-catalogue';

export interface DvsErrorCodeEntry {
  readonly code: number;
  readonly httpStatus: number;
  /** The reference's description: the reason of the error (DVS's own message is never quoted). */
  readonly description: string;
  readonly outcome: DvsErrorOutcome;
  /** Whether the same request may succeed later (another attempt, after the retry delay). */
  readonly retryable: boolean;
  /**
   * For a send: whether the code proves the request was refused before it was
   * processed ("not carried out"). A code that does not (an unexpected error,
   * a service unavailable: DVS may have acted first) makes a send an unknown
   * outcome, whatever HTTP status carried it.
   */
  readonly provesNotCarriedOut: boolean;
  readonly implies: readonly DvsCodeImplication[];
}

const entry = (
  code: number,
  httpStatus: number,
  description: string,
  outcome: DvsErrorOutcome,
  retryable: boolean,
  implies: readonly DvsCodeImplication[] = [],
  provesNotCarriedOut = true,
): DvsErrorCodeEntry =>
  Object.freeze({
    code,
    httpStatus,
    description,
    outcome,
    retryable,
    provesNotCarriedOut,
    implies: Object.freeze([...implies]),
  });

/** Every error code of the DVS reference ("Error codes" table), and what it means here. */
export const DVS_ERROR_CODES: Readonly<Record<number, DvsErrorCodeEntry>> = Object.freeze(
  Object.fromEntries(
    [
      entry(1000400, 400, 'Bad Request', 'rejected', false),
      entry(1000401, 401, 'Unauthorized', 'rejected', false),
      entry(1000404, 404, 'Resource not found', 'rejected', false),
      entry(1000429, 429, 'Too many requests', 'rate-limited', true),
      entry(1003001, 404, 'Product is not available in your account', 'rejected', false, ['stale-product-catalogue']),
      entry(1003002, 400, 'Requested product amount is out of range', 'rejected', false),
      entry(1003003, 400, 'Requested product unit is invalid', 'rejected', false),
      entry(1003101, 404, 'Benefits not defined for available products', 'rejected', false),
      entry(1003201, 404, 'Promotion not found', 'rejected', false),
      entry(1003301, 404, 'Campaign not found', 'rejected', false),
      entry(1005003, 400, 'Credit party mobile number is invalid', 'rejected', false, ['fresh-operator-lookup']),
      entry(1005004, 404, 'Service not found', 'rejected', false),
      entry(1005005, 404, 'Country not found', 'rejected', false),
      entry(1005006, 404, 'Operator not found', 'rejected', false),
      entry(1005503, 400, 'Sender mobile number is invalid', 'rejected', false),
      // our float at DVS ran out: a later attempt (after a top-up of the account) or another provider may succeed
      entry(1006001, 400, 'Insufficient balance', 'rejected', true),
      entry(1006003, 400, 'Debit party mobile number is invalid', 'rejected', false),
      entry(1006009, 404, 'Account balance not found', 'rejected', false),
      entry(1006503, 400, 'Beneficiary mobile number is invalid', 'rejected', false),
      entry(1007001, 400, 'Transaction external ID has already been used', 'external-id-already-used', false),
      entry(1007002, 400, 'Transaction has already been confirmed', 'rejected', false),
      entry(1007004, 400, 'Transaction can no longer be confirmed', 'rejected', false),
      entry(1007005, 400, 'Transaction has already been cancelled', 'rejected', false),
      entry(1007007, 400, 'Transaction can no longer be cancelled', 'rejected', false),
      entry(1007500, 400, 'Method not supported by operator', 'rejected', false),
      entry(1008004, 404, 'Transaction not found', 'rejected', false),
      // these two do not prove a send was refused before processing: to a send, an unknown outcome
      entry(1009001, 500, 'Unexpected error, please contact our support team', 'unavailable', true, [], false),
      entry(1009503, 503, 'Service unavailable, please retry later', 'unavailable', true, [], false),
    ].map((item) => [item.code, item]),
  ),
);

export const dvsErrorCodeEntry = (code: number | string): DvsErrorCodeEntry | undefined => {
  const numeric = typeof code === 'number' ? code : /^\d+$/.test(code.trim()) ? Number(code.trim()) : Number.NaN;
  return Object.hasOwn(DVS_ERROR_CODES, numeric) ? DVS_ERROR_CODES[numeric] : undefined;
};

/** Whether the table says `code` (a DVS code, e.g. a `ProviderRejected.providerCode`) implies `implication`. */
export const dvsCodeImplies = (code: number | string, implication: DvsCodeImplication): boolean =>
  dvsErrorCodeEntry(code)?.implies.includes(implication) ?? false;

export interface DvsFailureContext {
  readonly kind: CallKind;
  readonly httpStatus: number;
  /** The external id of a create, for 1007001. */
  readonly externalId?: string | undefined;
  /** When a 429 (or a code that means it) allows the next call. */
  readonly retryAfterMs: number;
}

export interface DvsApiError {
  readonly code: string;
  readonly message: string;
}

/** The `errors` of a DVS error body; empty when the body is something else. */
export const dvsErrorsOf = (body: unknown): readonly DvsApiError[] =>
  Either.match(Schema.decodeUnknownEither(DvsErrorBody)(body), {
    onLeft: () => [],
    onRight: (decoded) => decoded.errors.map((error) => ({ code: String(error.code), message: error.message ?? '' })),
  });

// the shape of DVS codes (7 digits from 1000000): one of the reference's, or a new one DT One added
const DVS_CODE = /^10\d{5}$/;

/**
 * The reason of an error answer: the codes and the reference's descriptions,
 * never DVS's own messages (they may echo our key, our secret or the number).
 */
const describe = (errors: readonly DvsApiError[], httpStatus: number): string => {
  const described = [
    ...new Set(
      errors.map((error) => {
        const known = dvsErrorCodeEntry(error.code);
        if (known !== undefined) return `DVS ${known.code} (${known.description})`;
        return DVS_CODE.test(error.code) ? `DVS ${error.code} (not in the reference)` : 'an unrecognised error code';
      }),
    ),
  ];
  return described.length === 0
    ? `HTTP ${httpStatus} without a DVS error body`
    : `HTTP ${httpStatus}: ${described.slice(0, 5).join('; ')}`;
};

/**
 * Turns a DVS error answer (a 4xx; the transport reads 408, 429, 5xx and
 * redirects alike for every provider) into a typed provider error, by the
 * per-code table. When several errors come back, 1007001 wins (the
 * transaction exists), then the first code the table knows. A code the table
 * does not know is a refusal, named by its code when it has the shape of one.
 * For a send, a chosen code that does not prove the request was refused
 * before processing (`provesNotCarriedOut: false`), or only codes the table
 * does not know, come to ProviderOutcomeUnknown: never "not sent".
 */
export const providerErrorOf = (errors: readonly DvsApiError[], context: DvsFailureContext): ProviderError => {
  const reason = describe(errors, context.httpStatus);
  const known = errors
    .map((error) => dvsErrorCodeEntry(error.code))
    .filter((item): item is DvsErrorCodeEntry => item !== undefined);
  const chosen = known.find((item) => item.outcome === 'external-id-already-used') ?? known[0];
  const outcome: DvsErrorOutcome =
    chosen?.outcome ??
    (context.httpStatus === 429 ? 'rate-limited' : context.httpStatus >= 500 ? 'unavailable' : 'rejected');
  const unknownCode = errors.map((error) => error.code).find((code) => DVS_CODE.test(code));
  const unproven = chosen === undefined ? errors.length > 0 : !chosen.provesNotCarriedOut;
  if (context.kind === 'send' && unproven && outcome !== 'rate-limited')
    return new ProviderOutcomeUnknown({
      provider: DTONE_PROVIDER_ID,
      reason: `${reason}, which does not prove the send was refused before it was processed`,
      kind: 'UNPROVEN_REFUSAL',
    });
  switch (outcome) {
    case 'external-id-already-used':
      return new ExternalIdAlreadyUsed({ provider: DTONE_PROVIDER_ID, providerExternalId: context.externalId ?? '' });
    case 'rate-limited':
      return new ProviderRateLimited({ provider: DTONE_PROVIDER_ID, retryAfterMs: context.retryAfterMs });
    case 'unavailable':
      return new ProviderUnavailable({ provider: DTONE_PROVIDER_ID, reason });
    case 'rejected':
      return new ProviderRejected({
        provider: DTONE_PROVIDER_ID,
        providerCode: chosen === undefined ? (unknownCode ?? `HTTP_${context.httpStatus}`) : String(chosen.code),
        reason,
        retryable: chosen?.retryable ?? false,
        ...(chosen?.implies.includes('fresh-operator-lookup') ? { suggestsOperatorLookup: true } : {}),
      });
  }
};
