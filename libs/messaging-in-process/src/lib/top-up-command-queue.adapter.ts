// The TopUpCommandQueue port on the in-process bus: a top-up command
// (schema v1) goes into the bus's queue as its JSON in UTF-8 with the
// properties the RabbitMQ adapter gives it (type `topup.request`, routing
// key `topup.request`, the `x-schema-version` header, JSON content type,
// the external id as correlation id, the message id given), so the
// consumer's handler reads it as it reads a broker delivery.
//
// NOT DURABLE, unlike the port's broker adapter: the enqueue resolves once
// the command is in the process's memory, and it is lost if the process
// dies before a handler acks it. That is safe only because the embedded API
// commits the top-up before enqueueing its command and the stalled-top-up
// recovery sends any top-up left CREATED.
import {
  CommandEnqueueFailed,
  TOP_UP_COMMAND_VERSION,
  TopUpCommandQueue,
  type TopUpCommandQueueService,
  type TopUpCommandV1Json,
} from '@airtime/application';
import { Effect, Layer } from 'effect';
import type { EnqueueRefusal, MessageQueue } from './message-queue.runner';

/** The type and routing key of a top-up command (as on RabbitMQ). */
export const TOP_UP_COMMAND_TYPE = 'topup.request';

/** The header carrying the command schema's version (as on RabbitMQ). */
export const COMMAND_VERSION_HEADER = 'x-schema-version';

const REFUSALS: Record<EnqueueRefusal, string> = {
  stopped: 'the in-process bus is stopped',
  full: 'the in-process queue is full',
};

const textOf = (command: TopUpCommandV1Json): string | undefined => {
  try {
    return JSON.stringify(command);
  } catch {
    return undefined;
  }
};

/**
 * Enqueues commands on `queue`. Fails with CommandEnqueueFailed when the
 * bus is stopped or its queue is full (its capacity), or when the command
 * has no JSON form; the reason never holds the command's values.
 */
export const makeInProcessTopUpCommandQueue = (queue: MessageQueue): TopUpCommandQueueService => ({
  enqueue: (command, messageId) =>
    Effect.suspend(() => {
      const text = textOf(command);
      if (text === undefined) return Effect.fail(new CommandEnqueueFailed({ reason: 'the command has no JSON form' }));
      const refusal = queue.enqueue({
        body: Buffer.from(text, 'utf8'),
        messageId,
        routingKey: TOP_UP_COMMAND_TYPE,
        type: TOP_UP_COMMAND_TYPE,
        contentType: 'application/json',
        correlationId: command.external_id,
        headers: { [COMMAND_VERSION_HEADER]: TOP_UP_COMMAND_VERSION },
      });
      return refusal === undefined ? Effect.void : Effect.fail(new CommandEnqueueFailed({ reason: REFUSALS[refusal] }));
    }),
});

/** The TopUpCommandQueue layer over an in-process queue. */
export const inProcessTopUpCommandQueueLayer = (queue: MessageQueue): Layer.Layer<TopUpCommandQueue> =>
  Layer.succeed(TopUpCommandQueue, makeInProcessTopUpCommandQueue(queue));
