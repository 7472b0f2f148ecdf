// The in-process message bus of the embedded first run, in place of
// RabbitMQ behind the same ports: the top-up command queue, the event
// publisher, and a command runner with the RabbitMQ consumer runner's
// interface. NOT durable (see the README section of this lib).
export { BusDecision, type BusDelivery, RETRY_HEADERS, retryCountOf } from './lib/bus-decision';
export { type BusLogger, silentBusLogger } from './lib/bus-logger';
export { type RetryDelayBounds, retryDelayMs } from './lib/retry-delay.policy';
export {
  type BusMessage,
  type BusRunner,
  type BusRunnerOptions,
  type BusStopReport,
  type DeadLetteredMessage,
  type EnqueueRefusal,
  type MessageQueue,
  type MessageQueueOptions,
  type QueueStats,
  type QueueStopReport,
  IN_PROCESS_EXCHANGE,
  makeMessageQueue,
} from './lib/message-queue.runner';
export {
  type BusEventListener,
  type InProcessEvents,
  type InProcessEventsOptions,
  inProcessEventPublisherLayer,
  makeInProcessEvents,
} from './lib/event-publisher.adapter';
export {
  COMMAND_VERSION_HEADER,
  TOP_UP_COMMAND_TYPE,
  inProcessTopUpCommandQueueLayer,
  makeInProcessTopUpCommandQueue,
} from './lib/top-up-command-queue.adapter';
export { type InProcessBus, type InProcessBusOptions, makeInProcessBus } from './lib/in-process-bus.adapter';
