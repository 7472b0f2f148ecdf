// Test helpers of the consumer app: the whole consumer in-process over a database, a topology and a simulator of its own.
export {
  type ConsumerHarness,
  type ConsumerHarnessOptions,
  type CommandMessage,
  startConsumerHarness,
  waitUntil,
} from './testing/consumer-harness.fixture';
