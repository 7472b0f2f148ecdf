// Which provider failures met while reconciling stop the run (the provider
// cannot be reached or asks us to slow down: the next run tries again) and
// which concern one top-up or one check only (it is reported, and the run
// goes on).
import { isRetryable, type ProviderError } from '@airtime/domain';

/** Every provider error, by tag (a new kind fails the type-check until it is listed). */
const PROVIDER_ERROR_TAGS: { readonly [Tag in ProviderError['_tag']]: true } = {
  ProviderUnavailable: true,
  ProviderRateLimited: true,
  ProviderRejected: true,
  ExternalIdAlreadyUsed: true,
  StatusQueryUnsupported: true,
  TransactionListUnsupported: true,
  ProviderOutcomeUnknown: true,
  ProviderAnswerMismatch: true,
  ProviderRetryLater: true,
  ProviderResponseInvalid: true,
};

export const isProviderError = (error: unknown): error is ProviderError =>
  typeof error === 'object' &&
  error !== null &&
  '_tag' in error &&
  typeof error._tag === 'string' &&
  Object.hasOwn(PROVIDER_ERROR_TAGS, error._tag);

/** Provider codes of a refusal of who we are: DVS 1000401 (Unauthorized), and HTTP 401/403 without a known code. */
const CREDENTIAL_REFUSALS: ReadonlySet<string> = new Set(['1000401', 'HTTP_401', 'HTTP_403']);

/** Whether `error` is the provider refusing our credentials (a configuration to fix, not a request of ours). */
export const refusesOurCredentials = (error: unknown): error is Extract<ProviderError, { _tag: 'ProviderRejected' }> =>
  isProviderError(error) && error._tag === 'ProviderRejected' && CREDENTIAL_REFUSALS.has(error.providerCode);

/**
 * A failure of the transport or of who we are, not of one top-up: retryable
 * ones (unavailable, rate limited, "retry later", a retryable refusal), an
 * unknown outcome of the query itself (a timeout, a lost connection), and a
 * refusal of our credentials (every other query would be refused alike).
 */
export const stopsTheRun = (error: ProviderError): boolean =>
  isRetryable(error) || error._tag === 'ProviderOutcomeUnknown' || refusesOurCredentials(error);

/**
 * The provider error of one top-up's (or one check's) query when it does not
 * stop the run (an unreadable or mismatched answer, a definite refusal, an
 * external id already used...); undefined for every other error, which
 * fails the run.
 */
export const nonStoppingProviderFailure = (error: unknown): ProviderError | undefined =>
  isProviderError(error) && !stopsTheRun(error) ? error : undefined;

/** `PROVIDER_RESPONSE_INVALID: dtone answered an undecodable response: ...`: the error's code and message. */
export const describeProviderFailure = (error: ProviderError): string => `${error.code}: ${error.message}`;
