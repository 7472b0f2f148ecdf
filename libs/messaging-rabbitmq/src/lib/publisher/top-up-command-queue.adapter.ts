// The TopUpCommandQueue port on RabbitMQ: a top-up command (schema v1) is
// published persistent to the commands exchange (routing key
// `topup.request`, mandatory: no bound queue is a failure, not a silent
// drop) with the properties `publishTopUpCommands` gives its commands (type
// `topup.request`, the `x-schema-version` header, JSON in UTF-8, the
// external id as correlation id, the message id given), and the enqueue
// resolves only once the broker has confirmed it.
import {
  CommandEnqueueFailed,
  TopUpCommandQueue,
  type TopUpCommandQueueService,
  type TopUpCommandV1Json,
} from '@airtime/application';
import { Effect, Layer } from 'effect';
import type { Topology } from '../topology/topology.table';
import type { ConfirmPublisher } from './confirm-publisher.client';
import { topUpCommandMessage } from './top-up-command.client';

export interface TopUpCommandQueueOptions {
  /** The AMQP timestamp of the messages (default: now). */
  readonly now?: (() => Date) | undefined;
}

const textOf = (command: TopUpCommandV1Json): string | undefined => {
  try {
    return JSON.stringify(command);
  } catch {
    return undefined;
  }
};

/**
 * Enqueues commands on the commands exchange of `topology` through a
 * confirm publisher (its own channel; the app closes it). A publish the
 * broker did not confirm (connection lost, nack, timeout, unroutable) fails
 * with CommandEnqueueFailed, its reason the publish failure's kind and
 * reason (never the command's values).
 */
export const makeTopUpCommandQueue = (
  publisher: ConfirmPublisher,
  topology: Topology,
  options: TopUpCommandQueueOptions = {},
): TopUpCommandQueueService => {
  const now = options.now ?? (() => new Date());
  return {
    enqueue: (command, messageId) =>
      Effect.suspend(() => {
        const text = textOf(command);
        if (text === undefined) {
          return Effect.fail(new CommandEnqueueFailed({ reason: 'the command has no JSON form' }));
        }
        return publisher
          .publishEncoded(
            topUpCommandMessage(topology, { text, messageId, externalId: command.external_id, sentAt: now() }),
          )
          .pipe(
            Effect.mapError((failure) => new CommandEnqueueFailed({ reason: `${failure.kind}: ${failure.reason}` })),
          );
      }),
  };
};

/** The TopUpCommandQueue layer over a confirm publisher and a topology. */
export const topUpCommandQueueLayer = (
  publisher: ConfirmPublisher,
  topology: Topology,
  options: TopUpCommandQueueOptions = {},
): Layer.Layer<TopUpCommandQueue> =>
  Layer.succeed(TopUpCommandQueue, makeTopUpCommandQueue(publisher, topology, options));
