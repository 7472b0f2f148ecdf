// Declares the topology on the broker: exchanges, then queues with their
// arguments, then bindings. Idempotent while the broker's definitions match;
// a queue or exchange that exists with other arguments fails the
// declaration with PRECONDITION_FAILED (not retryable).
import type * as amqp from 'amqplib';
import { Effect } from 'effect';
import type { BrokerConnection } from '../connection/broker-connection.client';
import { describeAmqpFailure } from '../shared/amqp-failure.format';
import { BrokerUnavailable, TopologyDeclarationFailed } from '../shared/messaging.errors';
import type { Topology } from './topology.table';

/** Declares `topology` on a short-lived channel, waiting up to `timeoutMs` for the connection. */
export const declareTopology = (
  connection: BrokerConnection,
  topology: Topology,
  timeoutMs: number,
): Effect.Effect<void, TopologyDeclarationFailed> =>
  Effect.tryPromise({
    try: () => connection.withChannel(timeoutMs, (channel) => declareOn(channel, topology)),
    catch: (error) => {
      if (error instanceof BrokerUnavailable) {
        return new TopologyDeclarationFailed({ reason: `connection: ${error.reason}`, retryable: error.retryable });
      }
      const step = error instanceof DeclarationStepFailed ? error.step : 'connection';
      const failure = describeAmqpFailure(error instanceof DeclarationStepFailed ? error.cause : error);
      return new TopologyDeclarationFailed({ reason: `${step}: ${failure.reason}`, retryable: failure.retryable });
    },
  });

/** Carries the step that failed out of the channel work. */
class DeclarationStepFailed extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(step);
  }
}

const step = async <A>(name: string, work: () => Promise<A>): Promise<A> => {
  try {
    return await work();
  } catch (error) {
    throw new DeclarationStepFailed(name, error);
  }
};

const declareOn = async (channel: amqp.Channel, topology: Topology): Promise<void> => {
  for (const exchange of Object.values(topology.exchanges)) {
    await step(`exchange ${exchange.name}`, () =>
      channel.assertExchange(exchange.name, exchange.type, { durable: true, autoDelete: false, internal: false }),
    );
  }
  for (const queue of Object.values(topology.queues)) {
    await step(`queue ${queue.name}`, () =>
      channel.assertQueue(queue.name, {
        durable: true,
        exclusive: false,
        autoDelete: false,
        arguments: { ...queue.arguments },
      }),
    );
  }
  for (const binding of topology.bindings) {
    await step(`binding ${binding.exchange} -> ${binding.queue}`, () =>
      channel.bindQueue(binding.queue, binding.exchange, binding.routingKey),
    );
  }
};
