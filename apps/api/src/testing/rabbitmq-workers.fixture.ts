// The consumer's workers (the top-up command handler on RabbitMQ's commands
// queue, and the scheduler's loops) run in the API's process, through the
// API's runtime, for end-to-end specs: what the consumer does, without a
// second process.
import { makeConsumerRunner } from '@airtime/messaging-rabbitmq';
import { makeTopUpWorkers, type TopUpWorkers } from '@airtime/platform-runtime';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { TOKENS } from '../composition/tokens';
import type { ApiHarness } from './api-harness.fixture';

/** Starts the workers on the harness's runtime, broker connection and topology; stop them before closing it. */
export const startRabbitMqWorkers = async (api: ApiHarness): Promise<TopUpWorkers> => {
  const { container } = api.app;
  const config = container.get(TOKENS.config);
  const connection = await container.getAsync(TOKENS.brokerConnection);
  const topology = container.get(TOKENS.topology);
  const logger = silentLogger();
  const workers = makeTopUpWorkers({
    runtime: await container.getAsync(TOKENS.runtime),
    settings: config.runtime,
    logger,
    metrics: container.get(TOKENS.metrics),
    commandRunner: (handler) =>
      makeConsumerRunner({
        connection,
        queue: topology.queues.topUpCommands.name,
        deadLetterExchange: topology.exchanges.deadLetter.name,
        prefetch: config.messaging.prefetch,
        confirmTimeoutMs: config.messaging.confirmTimeoutMs,
        retryQueue: {
          queue: topology.queues.topUpCommandsRetry.name,
          maxRetries: 5,
          delay: { minDelayMs: 100, maxDelayMs: 1_000 },
        },
        retryDelayMs: 100,
        handler,
        logger,
      }),
  });
  await workers.start();
  return workers;
};
