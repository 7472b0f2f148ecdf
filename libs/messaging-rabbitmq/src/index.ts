// The RabbitMQ adapter (amqplib): topology, a connection that reconnects,
// a confirm publisher and a consumer runner. Transport only: the command
// and event schemas and the handlers' decisions live in the application.
export {
  type MessagingConfig,
  DEFAULT_AMQP_URL,
  messagingConfigFrom,
  redactAmqpUrl,
} from './lib/config/messaging.config';
export {
  InvalidMessagingConfig,
  BrokerUnavailable,
  PublishFailed,
  type PublishFailureKind,
  TopologyDeclarationFailed,
  ConsumerStartFailed,
} from './lib/shared/messaging.errors';
export { type MessagingLogger, silentLogger } from './lib/shared/messaging-logger';
export { type AmqpFailure, describeAmqpFailure } from './lib/shared/amqp-failure.format';
export { type BackoffBounds, backoffDelayMs } from './lib/connection/backoff.policy';
export {
  type BrokerConnection,
  type BrokerConnectionOptions,
  type BrokerConnectionSettings,
  type ChannelSpec,
  type ConnectionState,
  type ConnectionStateChange,
  type ManagedChannel,
  makeBrokerConnection,
} from './lib/connection/broker-connection.client';
export {
  TOPOLOGY,
  EVENT_ROUTING_KEYS,
  type EventRoutingKey,
  type Topology,
  type ExchangeSpec,
  type QueueSpec,
  type BindingSpec,
  type QueueArguments,
  topologyFor,
} from './lib/topology/topology.table';
export { declareTopology } from './lib/topology/topology-declarer';
export {
  type ConfirmPublisher,
  type ConfirmPublisherOptions,
  type OutgoingMessage,
  type EncodedMessage,
  makeConfirmPublisher,
} from './lib/publisher/confirm-publisher.client';
export { ConsumeDecision, type Delivery, deliveryOf } from './lib/consumer/consume-decision';
export {
  type ConsumerRunner,
  type ConsumerRunnerOptions,
  type ConsumerStopOptions,
  type ConsumerStopReport,
  type RetryQueueSettings,
  DEAD_LETTER_HEADERS,
  RETRY_HEADERS,
  makeConsumerRunner,
  retryCountOf,
} from './lib/consumer/consumer.runner';
export { type TopUpCommandRunnerOptions, makeTopUpCommandRunner } from './lib/consumer/top-up-command.runner';
export {
  EVENT_TYPE_HEADER,
  EVENT_AGGREGATE_HEADER,
  eventMessageOf,
  makeEventPublisher,
  eventPublisherLayer,
} from './lib/publisher/event-publisher.adapter';
export {
  type TopUpCommandToPublish,
  type PublishProgress,
  type PublishTopUpCommandsOptions,
  type PublishTopUpCommandsReport,
  type UnpublishedCommand,
  COMMAND_VERSION_HEADER,
  TOP_UP_COMMAND_TYPE,
  publishTopUpCommands,
} from './lib/publisher/top-up-command.client';
export {
  type TopUpCommandQueueOptions,
  makeTopUpCommandQueue,
  topUpCommandQueueLayer,
} from './lib/publisher/top-up-command-queue.adapter';
