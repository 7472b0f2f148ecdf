// The one table of the API's error answers: every error a route can fail
// with (the use cases the routes run, authentication, the transport's own),
// by `_tag`, to its HTTP status and stable code. Typed with
// `satisfies Record<ApiError['_tag'], ErrorAnswer>`: an error a use case
// can fail with that this table does not name fails the type-check, and so
// does a name that is no longer an error of any route.
//
// - 400: the request itself is wrong (a field, a parameter, a header): the
//   answer names the field, never its value;
// - 401: no valid API key; 404: no such thing, or not one the key may see
//   (one answer for both); 409: a conflict with what exists (another
//   request under the same key, a top-up that can no longer be cancelled);
// - 422: a well-formed request nothing can be sold for (no operator, no
//   product, no such exact amount, an account without that currency);
// - 429: the key's rate limit; 502/503: the provider or the store failed
//   us, never the caller (retry later); a defect (a bug) is the server's
//   500 INTERNAL, outside this table, with no details.
//
// `message`, when given, replaces the error's own: for errors whose message
// would quote an id the caller sent, or a provider's or a store's text.
import type {
  accountBalances,
  accountJournal,
  applyProviderCallback,
  applyProviderStatus,
  authenticateApiKey,
  cancelTopUpFor,
  CustomerAccountNotFound,
  findTopUp,
  listTopUps,
  lookupPhone,
  productsForPhone,
  quoteTopUp,
  requestTopUp,
  transferLogFor,
  validateProviderSend,
} from '@airtime/application';
import type { Effect } from 'effect';
import type { CallbackConflict, UnknownCallback } from '../routes/callbacks/callbacks.errors';
import type {
  AuthFailuresLimited,
  BodyNotUtf8,
  DuplicateJsonKey,
  ForbiddenJsonKey,
  InexactJsonNumber,
  InvalidRequest,
  JsonTooDeep,
  RateLimited,
  RouteNotFound,
  UnsupportedCharset,
  UnsupportedContentEncoding,
} from './http.errors';

type ErrorOf<F extends (...args: never[]) => Effect.Effect<unknown, unknown, unknown>> = Effect.Effect.Error<
  ReturnType<F>
>;

/** Every error a route of the API can answer. */
export type ApiError =
  | InvalidRequest
  | JsonTooDeep
  | ForbiddenJsonKey
  | DuplicateJsonKey
  | InexactJsonNumber
  | BodyNotUtf8
  | UnsupportedCharset
  | UnsupportedContentEncoding
  | RouteNotFound
  | RateLimited
  | AuthFailuresLimited
  | CustomerAccountNotFound
  | UnknownCallback
  | CallbackConflict
  | ErrorOf<typeof authenticateApiKey>
  | ErrorOf<typeof requestTopUp>
  | ErrorOf<typeof quoteTopUp>
  | ErrorOf<typeof findTopUp>
  | ErrorOf<typeof listTopUps>
  | ErrorOf<typeof cancelTopUpFor>
  | ErrorOf<typeof transferLogFor>
  | ErrorOf<typeof accountBalances>
  | ErrorOf<typeof accountJournal>
  | ErrorOf<typeof lookupPhone>
  | ErrorOf<typeof productsForPhone>
  | ErrorOf<typeof applyProviderCallback>
  | ErrorOf<typeof applyProviderStatus>
  | ErrorOf<typeof validateProviderSend>;

export interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  /** A fixed message instead of the error's own (which would quote an id, or a provider's or store's text). */
  readonly message?: string;
}

const PROVIDER_UNAVAILABLE = {
  status: 503,
  code: 'PROVIDER_UNAVAILABLE',
  message: 'the provider is unavailable or busy now; try again later',
} as const;
const PROVIDER_ERROR = {
  status: 502,
  code: 'PROVIDER_ERROR',
  message: 'the provider gave an answer that could not be used; try again later',
} as const;
const LEDGER_CONFLICT = {
  status: 409,
  code: 'LEDGER_CONFLICT',
  message: 'the ledger refused the movement',
} as const;

export const API_ERRORS = {
  // the request: a field, a parameter or a header (the field is named, never its value)
  InvalidRequest: { status: 400, code: 'INVALID_REQUEST' },
  JsonTooDeep: { status: 400, code: 'MALFORMED_JSON' },
  ForbiddenJsonKey: { status: 400, code: 'FORBIDDEN_KEY' },
  DuplicateJsonKey: { status: 400, code: 'DUPLICATE_KEY' },
  InexactJsonNumber: { status: 400, code: 'INEXACT_NUMBER' },
  BodyNotUtf8: { status: 400, code: 'MALFORMED_JSON' },
  UnsupportedCharset: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  UnsupportedContentEncoding: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  InvalidInput: { status: 400, code: 'INVALID_REQUEST' },
  InvalidTopUpRequest: { status: 400, code: 'INVALID_REQUEST' },
  InvalidIdentifier: { status: 400, code: 'INVALID_REQUEST' },
  InvalidSelectionRequest: { status: 400, code: 'INVALID_REQUEST' },
  // who calls, and what it may see
  ApiKeyRefused: { status: 401, code: 'UNAUTHENTICATED' },
  RateLimited: { status: 429, code: 'RATE_LIMITED' },
  AuthFailuresLimited: { status: 429, code: 'RATE_LIMITED' },
  RouteNotFound: { status: 404, code: 'NOT_FOUND' },
  CustomerAccountNotFound: { status: 404, code: 'ACCOUNT_NOT_FOUND', message: 'no such account' },
  TopUpNotFound: { status: 404, code: 'TOP_UP_NOT_FOUND', message: 'no such top-up' },
  UnknownCallback: { status: 404, code: 'UNKNOWN_CALLBACK' },
  UnknownProviderTransaction: {
    status: 404,
    code: 'UNKNOWN_CALLBACK',
    message: 'the callback matches no top-up',
  },
  AttemptNotFound: { status: 404, code: 'UNKNOWN_CALLBACK', message: 'the callback matches no top-up' },
  // conflicts with what exists
  ExternalIdConflict: { status: 409, code: 'EXTERNAL_ID_CONFLICT' },
  UnresolvedAttempt: {
    status: 409,
    code: 'TOP_UP_NOT_CANCELLABLE',
    message: 'the top-up has an attempt whose outcome is not settled yet; it cannot be cancelled now',
  },
  IllegalTransition: {
    status: 409,
    code: 'TOP_UP_NOT_CANCELLABLE',
    message: 'the top-up is no longer in CREATED; it cannot be cancelled',
  },
  ConcurrentModification: {
    status: 409,
    code: 'CONCURRENT_MODIFICATION',
    message: 'the top-up changed while the request ran; try again',
  },
  CallbackConflict: { status: 409, code: 'CALLBACK_CONFLICT' },
  DuplicateKey: {
    status: 409,
    code: 'CONCURRENT_REQUEST',
    message: 'a request with the same key is running; try again',
  },
  // nothing to sell for a well-formed request
  InvalidTopUp: {
    status: 422,
    code: 'INVALID_TOP_UP',
    message: 'no top-up can be made of this request with the products found',
  },
  OperatorNotFound: { status: 422, code: 'OPERATOR_NOT_FOUND' },
  ProductNotFound: { status: 422, code: 'PRODUCT_NOT_FOUND' },
  ExactAmountUnavailable: {
    status: 422,
    code: 'EXACT_AMOUNT_UNAVAILABLE',
    message: 'the exact amount asked is not offered for the number',
  },
  NoMatchingProduct: {
    status: 422,
    code: 'NO_MATCHING_PRODUCT',
    message: 'no product is offered at or below max_amount',
  },
  CurrencyNotAccepted: { status: 422, code: 'CURRENCY_NOT_ACCEPTED' },
  // a callback_url for an account whose callbacks could never be signed
  CallbackSecretMissing: { status: 422, code: 'CALLBACK_SECRET_MISSING' },
  // the ledger: an account without the charged currency, and refusals the API's requests never cause
  AccountNotFound: {
    status: 422,
    code: 'NO_BALANCE_IN_CURRENCY',
    message: 'the account has no balance in the currency this top-up is charged in',
  },
  InsufficientFunds: { status: 422, code: 'INSUFFICIENT_FUNDS', message: 'the account cannot pay for this top-up' },
  AccountAlreadyOpen: LEDGER_CONFLICT,
  CreditLimitInUse: LEDGER_CONFLICT,
  InvalidLedgerAmount: LEDGER_CONFLICT,
  InvalidLedgerCurrency: LEDGER_CONFLICT,
  IdempotencyConflict: LEDGER_CONFLICT,
  HoldNotFound: LEDGER_CONFLICT,
  HoldAlreadySettled: LEDGER_CONFLICT,
  CaptureExceedsHold: LEDGER_CONFLICT,
  HoldNotCaptured: LEDGER_CONFLICT,
  // the provider's catalogue (lookup, products): nothing is sent while quoting or requesting
  ProviderUnavailable: PROVIDER_UNAVAILABLE,
  ProviderRateLimited: PROVIDER_UNAVAILABLE,
  ProviderRetryLater: PROVIDER_UNAVAILABLE,
  ProviderOutcomeUnknown: PROVIDER_ERROR,
  ProviderRejected: PROVIDER_ERROR,
  ProviderAnswerMismatch: PROVIDER_ERROR,
  ProviderResponseInvalid: PROVIDER_ERROR,
  ExternalIdAlreadyUsed: PROVIDER_ERROR,
  StatusQueryUnsupported: PROVIDER_ERROR,
  TransactionListUnsupported: PROVIDER_ERROR,
  // the store
  PersistenceFailure: {
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'the service cannot reach its store now; try again later',
  },
} as const satisfies Record<ApiError['_tag'], ErrorAnswer>;

/** The answer of an error: its status, its code, and its message (the table's fixed one, else the error's own). */
export const answerOf = (
  error: ApiError,
): { readonly status: number; readonly code: string; readonly message: string } => {
  const answer: ErrorAnswer = API_ERRORS[error._tag];
  return { status: answer.status, code: answer.code, message: answer.message ?? error.message };
};

/** The field an error names (a request's field, a conflict's differing field), if it names one. */
export const fieldOf = (error: ApiError): string | undefined =>
  'field' in error && typeof error.field === 'string' ? error.field : undefined;

/** Whether a value is one of the errors of the table (a tagged error whose `_tag` it names). */
export const isApiError = (value: unknown): value is ApiError =>
  typeof value === 'object' &&
  value !== null &&
  '_tag' in value &&
  typeof value._tag === 'string' &&
  Object.prototype.hasOwnProperty.call(API_ERRORS, value._tag);
