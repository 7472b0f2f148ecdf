// The RabbitMQ topology of the platform as data: every exchange, queue,
// binding and queue argument, with names relative to a prefix. Declared at
// start by `declareTopology`; asserted against the real broker by
// topology.integration.spec.ts. Changing an argument of an existing queue
// makes its redeclaration fail with PRECONDITION_FAILED: that needs a new
// queue (a new name or prefix) and a migration of its messages.

/** The routing keys of the events exchange (topic), one per kind of top-up event. */
export const EVENT_ROUTING_KEYS = [
  'topup.created',
  'topup.completed',
  'topup.failed',
  'topup.reversed',
  'topup.retry_scheduled',
  'topup.unknown_outcome',
] as const;

export type EventRoutingKey = (typeof EVENT_ROUTING_KEYS)[number];

/** Queue arguments, as the broker stores them. */
export type QueueArguments = Readonly<Record<string, string | number>>;

/**
 * The topology; names are relative (`topologyFor` prefixes them, and the
 * exchange named by `x-dead-letter-exchange`).
 *
 * - `commands` (direct): producers publish top-up commands with the routing
 *   key `topup.request`; bound to the `topup.commands` queue.
 * - `topup.commands`: a durable quorum queue. `x-delivery-limit` is set
 *   explicitly (RabbitMQ 3.10 has no default): a message returned (nack
 *   with requeue, consumer lost) more than 5 times is dead-lettered.
 *   Dead-lettering is at-least-once (`x-dead-letter-strategy`), which needs
 *   `x-overflow: reject-publish` (with it, a full queue refuses publishes
 *   with a nack instead of dropping its oldest message).
 * - `topup.commands.retry`: the delay queue of retried commands (quorum, no
 *   consumer, no binding: the consumer runner publishes to it through the
 *   default exchange). Each message carries its own `expiration` (the
 *   backoff of its retry count); once expired it is dead-lettered, at least
 *   once, back to `commands` with the routing key `topup.request`, a new
 *   message of the commands queue whose delivery count starts at 0. So a
 *   retry never burns the commands queue's delivery limit, which is left to
 *   deliveries lost with their consumer (crashes). Quorum, not classic: a
 *   classic queue dead-letters at most once (a message expiring while the
 *   commands queue cannot take it would be dropped). Messages expire only at
 *   the head of a queue: one waits at most the longest delay (5 minutes by
 *   default) behind a later-expiring one.
 * - `dead-letter` (fanout) and `dead-letters` (quorum): every dead letter,
 *   whatever its routing key; the broker's own (x-death header, reason
 *   `delivery_limit`) and the consumer's (x-dead-letter-reason header).
 * - `events` (topic): top-up events (`EVENT_ROUTING_KEYS`); subscribers
 *   bind their own queues.
 */
export const TOPOLOGY = {
  exchanges: {
    commands: { name: 'commands', type: 'direct' },
    events: { name: 'events', type: 'topic' },
    deadLetter: { name: 'dead-letter', type: 'fanout' },
  },
  queues: {
    topUpCommands: {
      name: 'topup.commands',
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': 5,
        'x-dead-letter-exchange': 'dead-letter',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    },
    topUpCommandsRetry: {
      name: 'topup.commands.retry',
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': 'commands',
        'x-dead-letter-routing-key': 'topup.request',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    },
    deadLetters: {
      name: 'dead-letters',
      arguments: { 'x-queue-type': 'quorum' },
    },
  },
  bindings: [
    { queue: 'topup.commands', exchange: 'commands', routingKey: 'topup.request' },
    { queue: 'dead-letters', exchange: 'dead-letter', routingKey: '' },
  ],
  routingKeys: { topUpRequest: 'topup.request' },
} as const;

/** An exchange; all are durable and never auto-deleted. */
export interface ExchangeSpec {
  readonly name: string;
  readonly type: 'direct' | 'topic' | 'fanout';
}

/** A queue; all are durable, neither exclusive nor auto-deleted. */
export interface QueueSpec {
  readonly name: string;
  readonly arguments: QueueArguments;
}

export interface BindingSpec {
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
}

/** The topology with absolute names, as declared. */
export interface Topology {
  readonly prefix: string;
  readonly exchanges: { readonly [K in keyof typeof TOPOLOGY.exchanges]: ExchangeSpec };
  readonly queues: { readonly [K in keyof typeof TOPOLOGY.queues]: QueueSpec };
  readonly bindings: readonly BindingSpec[];
  readonly routingKeys: typeof TOPOLOGY.routingKeys;
  readonly eventRoutingKeys: readonly EventRoutingKey[];
}

const mapValues = <K extends string, A, B>(record: Readonly<Record<K, A>>, f: (a: A) => B): Record<K, B> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value as A)])) as Record<K, B>;

/**
 * The topology with every name as `<prefix>.<name>` (e.g. "airtime.topup.commands").
 * Tests pass a prefix of their own so that they never touch the platform's queues.
 */
export const topologyFor = (prefix: string): Topology => {
  const named = (name: string): string => `${prefix}.${name}`;
  return {
    prefix,
    exchanges: mapValues(TOPOLOGY.exchanges, (exchange): ExchangeSpec => ({ ...exchange, name: named(exchange.name) })),
    queues: mapValues(TOPOLOGY.queues, (queue): QueueSpec => ({
      name: named(queue.name),
      arguments: Object.fromEntries(
        Object.entries(queue.arguments).map(([key, value]) => [
          key,
          key === 'x-dead-letter-exchange' && typeof value === 'string' ? named(value) : value,
        ]),
      ),
    })),
    bindings: TOPOLOGY.bindings.map((binding) => ({
      queue: named(binding.queue),
      exchange: named(binding.exchange),
      routingKey: binding.routingKey,
    })),
    routingKeys: TOPOLOGY.routingKeys,
    eventRoutingKeys: EVENT_ROUTING_KEYS,
  };
};
