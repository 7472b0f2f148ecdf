import {
  ExternalIdAlreadyUsed,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRateLimited,
  ProviderRejected,
  ProviderUnavailable,
} from '@airtime/domain';
import { Either, Schema } from 'effect';
import { DvsErrorBody } from '../schemas/dvs-error.schema';
import { maskPhonesIn } from '../transfer-log/transfer-log.redaction';

export const DTONE_PROVIDER_ID = 'dtone';

/** What an error code means to us. */
export type DvsErrorOutcome = 'rejected' | 'unavailable' | 'rate-limited' | 'external-id-already-used';

export interface DvsErrorCodeEntry {
  readonly code: number;
  readonly httpStatus: number;
  readonly description: string;
  readonly outcome: DvsErrorOutcome;
  /** Whether the same request may succeed later (another attempt, after the retry delay). */
  readonly retryable: boolean;
  /** The refusal hints that the number is not (or no longer) on the chosen operator: look it up again. */
  readonly suggestsOperatorLookup: boolean;
}

const entry = (
  code: number,
  httpStatus: number,
  description: string,
  outcome: DvsErrorOutcome,
  retryable: boolean,
  suggestsOperatorLookup = false,
): DvsErrorCodeEntry => Object.freeze({ code, httpStatus, description, outcome, retryable, suggestsOperatorLookup });

/** Every error code of the DVS reference ("Error codes" table), and what it means here. */
export const DVS_ERROR_CODES: Readonly<Record<number, DvsErrorCodeEntry>> = Object.freeze(
  Object.fromEntries(
    [
      entry(1000400, 400, 'Bad Request', 'rejected', false),
      entry(1000401, 401, 'Unauthorized', 'rejected', false),
      entry(1000404, 404, 'Resource not found', 'rejected', false),
      entry(1000429, 429, 'Too many requests', 'rate-limited', true),
      entry(1003001, 404, 'Product is not available in your account', 'rejected', false),
      entry(1003002, 400, 'Requested product amount is out of range', 'rejected', false),
      entry(1003003, 400, 'Requested product unit is invalid', 'rejected', false),
      entry(1003101, 404, 'Benefits not defined for available products', 'rejected', false),
      entry(1003201, 404, 'Promotion not found', 'rejected', false),
      entry(1003301, 404, 'Campaign not found', 'rejected', false),
      entry(1005003, 400, 'Credit party mobile number is invalid', 'rejected', false, true),
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
      entry(1009001, 500, 'Unexpected error, please contact our support team', 'unavailable', true),
      entry(1009503, 503, 'Service unavailable, please retry later', 'unavailable', true),
    ].map((item) => [item.code, item]),
  ),
);

export const dvsErrorCodeEntry = (code: number | string): DvsErrorCodeEntry | undefined => {
  const numeric = typeof code === 'number' ? code : /^\d+$/.test(code.trim()) ? Number(code.trim()) : Number.NaN;
  return DVS_ERROR_CODES[numeric];
};

/**
 * `read`: nothing moves money (discovery, lookups, status, balances), safe to repeat.
 * `write`: creates, confirms or cancels a transaction; never resent by this layer.
 */
export type DvsCallKind = 'read' | 'write';

export interface DvsFailureContext {
  readonly kind: DvsCallKind;
  readonly httpStatus: number;
  /** The external id of a create, for 1007001. */
  readonly externalId?: string;
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

// DVS's own messages may quote the number: masked as in the transfer log
const describe = (errors: readonly DvsApiError[], httpStatus: number): string =>
  errors.length === 0
    ? `HTTP ${httpStatus}`
    : errors.map((error) => maskPhonesIn(`${error.code} ${error.message}`.trim())).join('; ');

/** A status that says the request was not (or not known to be) done, whatever the body says: 5xx, 408. */
const isServerFailure = (httpStatus: number): boolean => httpStatus >= 500 || httpStatus === 408;

/**
 * Turns a DVS error answer into a typed provider error. The per-code table
 * decides, except that a write answered with 5xx is an unknown outcome: the
 * request may have been taken, so it is settled by a status query and never
 * reported as a failure. When several errors come back, 1007001 wins (the
 * transaction exists), then the first code the table knows.
 */
export const providerErrorOf = (errors: readonly DvsApiError[], context: DvsFailureContext): ProviderError => {
  const reason = describe(errors, context.httpStatus);
  if (context.kind === 'write' && isServerFailure(context.httpStatus)) {
    return new ProviderOutcomeUnknown({
      provider: DTONE_PROVIDER_ID,
      reason: `HTTP ${context.httpStatus} after sending: ${reason}`,
    });
  }
  const known = errors
    .map((error) => dvsErrorCodeEntry(error.code))
    .filter((item): item is DvsErrorCodeEntry => item !== undefined);
  const chosen = known.find((item) => item.outcome === 'external-id-already-used') ?? known[0];
  const outcome: DvsErrorOutcome =
    chosen?.outcome ??
    (context.httpStatus === 429 ? 'rate-limited' : isServerFailure(context.httpStatus) ? 'unavailable' : 'rejected');
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
        providerCode: chosen === undefined ? (errors[0]?.code ?? `HTTP_${context.httpStatus}`) : String(chosen.code),
        reason,
        retryable: chosen?.retryable ?? false,
        ...(chosen?.suggestsOperatorLookup ? { suggestsOperatorLookup: true } : {}),
      });
  }
};
