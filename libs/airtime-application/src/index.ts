// The application: the use cases of the platform as effect programs over the
// domain's ports (and the few ports of its own in lib/ports).
export {
  TopUpRequestStore,
  type TopUpRequestStoreService,
  type StoredTopUpRequest,
} from './lib/ports/top-up-requests.port';
export { Inbox, type InboxService } from './lib/ports/inbox.port';
export {
  TransferLog,
  type TransferLogService,
  type TransferLogEntry,
  type StoredExchange,
} from './lib/ports/transfer-log.port';
export { OutboxFeed, type OutboxFeedService, type PendingEvent } from './lib/ports/outbox-feed.port';
export { EventPublisher, type EventPublisherService } from './lib/ports/event-publisher.port';
export { EventPublishFailed } from './lib/ports/event-publisher.errors';
export {
  RequestTopUpInput,
  type RequestTopUpInputJson,
  DecimalAmount,
} from './lib/request-top-up/request-top-up.input';
export {
  CallbackDeliveryStore,
  type CallbackDeliveryStoreService,
  type CallbackDelivery,
  type CallbackTry,
  CallbackSender,
  type CallbackSenderService,
  CALLBACK_SIGNATURE_HEADER,
} from './lib/ports/callback-deliveries.port';

// M: the top-up command (schema v1), the outbox relay, the caller's callbacks
export {
  TopUpCommandV1,
  type TopUpCommandV1Json,
  TOP_UP_COMMAND_VERSION,
  MAX_TOP_UP_COMMAND_BYTES,
  decodeTopUpCommand,
  encodeTopUpCommand,
} from './lib/top-up-command/top-up-command.schema';
export { MalformedCommand } from './lib/top-up-command/top-up-command.errors';
export { type RelayOutboxOptions, relayOutbox } from './lib/relay-outbox/relay-outbox.use-case';
export {
  type DeliverCallbacksOptions,
  type DeliverCallbacksReport,
  CALLBACK_EVENT_ID_HEADER,
  CALLBACK_TIMESTAMP_HEADER,
  CALLBACK_CONCURRENCY,
  callbackSignature,
  callbackHeaders,
  deliverCallbacks,
} from './lib/deliver-callbacks/deliver-callbacks.use-case';
export {
  CALLBACK_RETRY_DELAYS_MS,
  MAX_CALLBACK_TRIES,
  nextCallbackTryAt,
} from './lib/deliver-callbacks/callback-retry.policy';
