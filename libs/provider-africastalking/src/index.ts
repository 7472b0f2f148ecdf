// Africa's Talking airtime adapter of the AirtimeProvider port (HTTP, Node's fetch).

// Configuration
export {
  AFRICASTALKING_PROVIDER_ID,
  type AfricasTalkingConfig,
  InvalidAfricasTalkingConfig,
  AFRICASTALKING_PRODUCTION_URL,
  AFRICASTALKING_SANDBOX_URL,
  DEFAULT_AFRICASTALKING_TIMEOUT_MS,
  africasTalkingConfigFrom,
} from './lib/config/africastalking.config';
export { type AmountRange, parseAmountRanges } from '@airtime/provider-http-kit';

// The provider (port adapter and layer)
export {
  type AfricasTalkingProviderOptions,
  AT_STATUS_QUERY_UNSUPPORTED,
  AT_TRANSACTION_LIST_UNSUPPORTED,
  makeAfricasTalkingProvider,
  africasTalkingProviderLayer,
} from './lib/provider/africastalking.adapter';

// The send client
export {
  AIRTIME_SEND_PATH,
  AT_AMOUNT_FRACTION_DIGITS,
  type AirtimeSendRequest,
  type AirtimeSendAccepted,
  type AirtimeSendClient,
  type AirtimeSendClientOptions,
  makeAirtimeSendClient,
} from './lib/send/airtime-send.client';

// Statuses
export {
  AT_STATUSES,
  type AtStatus,
  AT_STATUS_MAPPING,
  isAtStatus,
  immediateStatusOf,
  callbackStatusOf,
  isPendingAtStatus,
} from './lib/status/status.mapper';

// Callbacks
export {
  type AtStatusNotice,
  statusCallbackNumber,
  parseAfricasTalkingStatusCallback,
  toProviderCallback,
} from './lib/callbacks/status-callback.mapper';
export {
  type AtValidationAnswer,
  VALIDATED,
  VALIDATION_FAILED,
  matchesSentAirtime,
  answerValidationCallback,
} from './lib/callbacks/validation-callback.handler';
export {
  type SentAirtime,
  type SentAirtimeRegistry,
  makeInMemorySentAirtimeRegistry,
} from './lib/callbacks/sent-airtime-registry';

// Transfer log and rate limits
export {
  type TransferLogRecord,
  type HttpExchange,
  type RateLimitGate,
  makeRateLimitGate,
} from '@airtime/provider-http-kit';
