// Shared HTTP plumbing of the provider adapters (Africa's Talking, engageSPARK): Node's fetch
// with timeouts and transport failures, rate-limit gate, redaction, answer reading,
// environment decoding and amount ranges.

// HTTP exchanges
export {
  type HttpRequest,
  type HttpResponse,
  type TransportFailure,
  type HttpOutcome,
  type HttpExchange,
  performExchange,
} from './lib/http/http-exchange.client';
export {
  type ExchangeClientOptions,
  providerFailures,
  firstLine,
  type AnswerReading,
  readAnswer,
  interpretExchange,
} from './lib/http/provider-answer';
export { describeParseError } from './lib/http/parse-issues.format';

// Transfer log and rate limits
export {
  type TransferLogRecord,
  REDACTED,
  MAX_LOGGED_BODY_LENGTH,
  maskPhoneNumbers,
  redactText,
  redactUrl,
  redactExchange,
} from './lib/http/exchange.redaction';
export {
  DEFAULT_RETRY_AFTER_MS,
  MAX_RETRY_AFTER_MS,
  retryAfterMsOf,
  quotaResetMsOf,
  type RateLimitGate,
  makeRateLimitGate,
} from './lib/http/rate-limit.gate';

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
} from './lib/products/amount-range.products';
