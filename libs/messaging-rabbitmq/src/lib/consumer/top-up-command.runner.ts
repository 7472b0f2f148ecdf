// The consumer runner of the top-up commands queue, as every app runs it:
// the commands queue of a topology, its dead-letter exchange, and retries
// through the commands retry queue with growing delays (never counted by the
// quorum queue's x-delivery-limit); only when that publish fails is the
// delivery requeued, after the first delay.
import type { BrokerConnection } from '../connection/broker-connection.client';
import type { MessagingLogger } from '../shared/messaging-logger';
import type { Topology } from '../topology/topology.table';
import type { ConsumeDecision, Delivery } from './consume-decision';
import { type ConsumerRunner, makeConsumerRunner } from './consumer.runner';

export interface TopUpCommandRunnerOptions {
  readonly connection: BrokerConnection;
  readonly topology: Topology;
  /** Unacknowledged deliveries held at once, and the confirm timeout of retry and dead-letter publishes. */
  readonly messaging: { readonly prefetch: number; readonly confirmTimeoutMs: number };
  /** Retries a delivery gets (past them it is dead-lettered) and their delays, in ms. */
  readonly retry: { readonly maxRetries: number; readonly minDelayMs: number; readonly maxDelayMs: number };
  readonly handler: (delivery: Delivery) => Promise<ConsumeDecision>;
  readonly logger?: MessagingLogger | undefined;
}

/** A runner on `topology`'s commands queue with its retry queue (see the file header). */
export const makeTopUpCommandRunner = (options: TopUpCommandRunnerOptions): ConsumerRunner => {
  const { topology, retry } = options;
  return makeConsumerRunner({
    connection: options.connection,
    queue: topology.queues.topUpCommands.name,
    deadLetterExchange: topology.exchanges.deadLetter.name,
    prefetch: options.messaging.prefetch,
    confirmTimeoutMs: options.messaging.confirmTimeoutMs,
    retryQueue: {
      queue: topology.queues.topUpCommandsRetry.name,
      maxRetries: retry.maxRetries,
      delay: { minDelayMs: retry.minDelayMs, maxDelayMs: retry.maxDelayMs },
    },
    retryDelayMs: retry.minDelayMs,
    handler: options.handler,
    logger: options.logger,
  });
};
