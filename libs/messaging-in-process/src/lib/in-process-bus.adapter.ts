// The in-process message bus of the embedded first run: one bounded queue
// of top-up commands behind the TopUpCommandQueue port, the recorded events
// behind the EventPublisher port, and runners of the commands with the
// RabbitMQ consumer runner's interface, all in the API process. Same
// semantics as the broker as the consumer sees them (at-least-once delivery
// to one handler at a time up to a prefetch, retries with a growing delay
// and an `x-retry-count` up to `maxRetries`, dead letters with their reason,
// a graceful stop), but NOT DURABLE: what waits in the bus is lost on a
// crash. The embedded API commits each top-up before enqueueing its command,
// and the stalled-top-up recovery sends any top-up left CREATED, so no
// top-up is lost, only its fast path.
import {
  EventPublisher,
  type EventPublisherService,
  type PendingEvent,
  TopUpCommandQueue,
  type TopUpCommandQueueService,
} from '@airtime/application';
import { Layer } from 'effect';
import { type BusLogger, silentBusLogger } from './bus-logger';
import { type BusEventListener, makeInProcessEvents } from './event-publisher.adapter';
import {
  type BusRunner,
  type BusRunnerOptions,
  type DeadLetteredMessage,
  makeMessageQueue,
  type QueueStats,
  type QueueStopReport,
} from './message-queue.runner';
import type { RetryDelayBounds } from './retry-delay.policy';
import { makeInProcessTopUpCommandQueue } from './top-up-command-queue.adapter';

export interface InProcessBusOptions {
  /** Commands waiting at most (ready, or waiting for a retry); an enqueue past it fails (default 10 000). */
  readonly queueCapacity?: number | undefined;
  /** Retries of one command; the next `Retry` dead-letters it (default 30, as the consumer's CONSUMER_MAX_RETRIES). */
  readonly maxRetries?: number | undefined;
  /** The first retry's delay, doubled up to the longest, with jitter (default 1 s to 5 min, as the consumer's). */
  readonly retryDelay?: RetryDelayBounds | undefined;
  /** Dead letters kept for inspection (default 1 000; the oldest are dropped). */
  readonly deadLetterCapacity?: number | undefined;
  /** Published events kept for inspection (default 1 000; the oldest are dropped). */
  readonly eventCapacity?: number | undefined;
  /** Where the bus logs dead letters, refusals, losses and its runners' start and stop (default: nowhere). */
  readonly logger?: BusLogger | undefined;
  readonly now?: (() => Date) | undefined;
  /** Jitter source of the retry delays, in [0, 1) (default `Math.random`). */
  readonly random?: (() => number) | undefined;
}

export interface InProcessBus {
  /** The TopUpCommandQueue service (fails with CommandEnqueueFailed when the bus is stopped or full). */
  readonly commandQueue: TopUpCommandQueueService;
  /** The EventPublisher service (records the events and hands them to the subscribers; fails once stopped). */
  readonly eventPublisher: EventPublisherService;
  /** Both services as one layer. */
  readonly layer: Layer.Layer<TopUpCommandQueue | EventPublisher>;
  /**
   * A runner of the top-up commands with the RabbitMQ consumer runner's
   * interface (`start`, `stop(timeoutMs)`, `inFlight()`); the consumer's
   * handler is passed as is. Several runners share the commands.
   */
  readonly commandRunner: (options: BusRunnerOptions) => BusRunner;
  /** The kept events, in publish order. */
  readonly events: () => readonly PendingEvent[];
  /** Adds a listener of the events published from now on (quick, in the publish); answers its removal. */
  readonly subscribe: (listener: BusEventListener) => () => void;
  /** The kept dead letters (commands a handler gave up on, with the reason), oldest first. */
  readonly deadLetters: () => readonly DeadLetteredMessage[];
  readonly stats: () => QueueStats;
  /**
   * Refuses new commands and events, stops every runner (waiting up to
   * `timeoutMs` for their handlers) and drops the commands still waiting
   * (logged; their top-ups are committed and the stalled recovery sends
   * them on the next start). Final; never rejects.
   */
  readonly stop: (timeoutMs: number) => Promise<QueueStopReport>;
}

/** Makes the bus; nothing is delivered until a command runner starts. */
export const makeInProcessBus = (options: InProcessBusOptions = {}): InProcessBus => {
  const logger = options.logger ?? silentBusLogger;
  const queue = makeMessageQueue({
    name: 'topup.commands',
    capacity: options.queueCapacity ?? 10_000,
    maxRetries: options.maxRetries ?? 30,
    retryDelay: options.retryDelay ?? { minDelayMs: 1_000, maxDelayMs: 300_000 },
    random: options.random,
    deadLetterCapacity: options.deadLetterCapacity ?? 1_000,
    logger,
    now: options.now ?? (() => new Date()),
  });
  const events = makeInProcessEvents({
    capacity: options.eventCapacity ?? 1_000,
    isStopped: queue.isStopped,
    logger,
  });
  const commandQueue = makeInProcessTopUpCommandQueue(queue);
  return {
    commandQueue,
    eventPublisher: events.publisher,
    layer: Layer.mergeAll(
      Layer.succeed(TopUpCommandQueue, commandQueue),
      Layer.succeed(EventPublisher, events.publisher),
    ),
    commandRunner: queue.runner,
    events: events.events,
    subscribe: events.subscribe,
    deadLetters: queue.deadLetters,
    stats: queue.stats,
    stop: queue.stop,
  };
};
