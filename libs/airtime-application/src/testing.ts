// Test helpers of @airtime/application: in-memory layers of every port the use cases need.
export {};

// M: in-memory relay and callback doubles (unit of work with locks, outbox feed, broker, clock, callbacks)
export { type FakeTransaction, type RelayUnitOfWork, makeRelayUnitOfWork } from './testing/relay-unit-of-work.fake';
export {
  type RelayOutboxRecord,
  type RelayOutboxFeed,
  type RelayOutboxFeedOptions,
  makeRelayOutboxFeed,
} from './testing/relay-outbox-feed.fake';
export {
  type RelayEventPublisher,
  type RelayEventPublisherOptions,
  makeRelayEventPublisher,
} from './testing/relay-event-publisher.fake';
export { type RelayClock, makeRelayClock } from './testing/relay-clock.fake';
export {
  type RelayCallbackRecord,
  type RelayCallbackDeliveries,
  makeRelayCallbackDeliveries,
} from './testing/relay-callback-deliveries.fake';
export {
  type RelayCallbackPost,
  type RelayCallbackAnswer,
  type RelayCallbackSender,
  makeRelayCallbackSender,
} from './testing/relay-callback-sender.fake';
