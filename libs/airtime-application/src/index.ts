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
