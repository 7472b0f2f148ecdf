// The one HTTP transport of the provider adapters (DT One DVS, Africa's Talking, engageSPARK): Node's fetch with
// timeouts, one classification of transport failures and answers, one rate-limit gate with bounded waits, one
// redaction and transfer-log record, one parse-error formatter; and the configuration and amount ranges the
// catalogue-less adapters share.

// The transport
export {
  type ExchangeClientOptions,
  type ProviderTransportSettings,
  type ProviderCall,
  type ProviderTransport,
  makeProviderTransport,
} from './lib/http/provider-transport.client';
export {
  type HttpRequest,
  type HttpResponse,
  type TransportFailure,
  type HttpOutcome,
  type HttpExchange,
  type ExchangeOptions,
  MAX_ANSWER_BYTES,
  NOT_SENT_ERROR_CODES,
  classifyRequestFailure,
  performExchange,
} from './lib/http/http-exchange.client';
export {
  type CallKind,
  type AnswerReading,
  type AnswerContext,
  providerFailures,
  readAnswer,
  interpretExchange,
} from './lib/http/provider-answer';

// Transfer log and rate limits
export {
  type TransferLogRecord,
  type RedactionScope,
  REDACTED,
  MAX_LOGGED_BODY_LENGTH,
  PERSONAL_FIELDS,
  PHONE_FIELDS,
  maskPhoneNumbers,
  redactText,
  redactUrl,
  redactExchange,
} from './lib/http/exchange.redaction';
export {
  DEFAULT_QUOTA_RESET_MS,
  DEFAULT_RETRY_AFTER_MS,
  MAX_RETRY_AFTER_MS,
  boundedWaitMs,
  retryAfterMsOf,
  resetMsOf,
  quotaResetMsOf,
  throttledWaitMsOf,
  type RateLimitGate,
  makeRateLimitGate,
} from './lib/http/rate-limit.policy';

// Configuration
export {
  type ProviderEnvironment,
  isHttpBaseUrl,
  TimeoutMsFromString,
  TokenFromString,
  HttpBaseUrlFromString,
  optionalTimeoutMs,
  optionalAmountRanges,
  EXPECTED_VARIABLE,
  decodeProviderEnvironment,
} from './lib/config/provider-environment';
export { type AmountRange, parseAmountRanges, AmountRangesFromString } from './lib/config/amount-ranges.config';

// Products of amount ranges
export {
  countryOperator,
  productsOfRanges,
  filterProducts,
  operatorMatchesFor,
} from './lib/products/amount-range-products.mapper';
export { amountRangeRefusal } from './lib/products/amount-range.check';
