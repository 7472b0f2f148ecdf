// engageSPARK airtime top-up adapter of the AirtimeProvider port (HTTP, Node's fetch).

// Configuration
export {
  ENGAGESPARK_PROVIDER_ID,
  type EngageSparkConfig,
  InvalidEngageSparkConfig,
  ENGAGESPARK_DEFAULT_URL,
  DEFAULT_ENGAGESPARK_TIMEOUT_MS,
  engageSparkConfigFrom,
} from './lib/config/engagespark.config';
export { type AmountRange, parseAmountRanges } from '@airtime/provider-http-kit';

// The provider (port adapter and layer)
export {
  ES_STATUS_QUERY_UNSUPPORTED,
  ES_TRANSACTION_LIST_UNSUPPORTED,
  makeEngageSparkProvider,
  engageSparkProviderLayer,
} from './lib/provider/engagespark.adapter';

// The top-up client
export {
  topupPath,
  formatTopupAmount,
  type TopupRequest,
  type TopupCompleted,
  type TopupClient,
  type TopupClientOptions,
  makeTopupClient,
} from './lib/topup/topup.client';
export { KNOWN_TOPUP_ERRORS, knownTopupError } from './lib/topup/topup-errors.table';

// Transfer log and rate limits
export {
  type TransferLogRecord,
  type HttpExchange,
  type RateLimitGate,
  makeRateLimitGate,
} from '@airtime/provider-http-kit';
