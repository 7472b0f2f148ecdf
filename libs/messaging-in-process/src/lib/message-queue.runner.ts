// One in-memory queue and the runners that consume it, with the broker's
// semantics as the consumer sees them: each message goes to one handler at
// a time, a runner holds at most `prefetch` messages at once, a `Retry`
// brings the message back after a growing delay with its `x-retry-count`
// one higher (past `maxRetries` it is dead-lettered with the last reason),
// and a `DeadLetter` keeps the message and its reason in a bounded list.
// Only the bus sets the retry headers: an enqueued message's own
// `x-retry-count` and `x-retry-reason` are dropped (it starts at 0 retries).
// The queue is bounded: an enqueue is refused when it is full or stopped.
// `stop` refuses new messages, stops delivering, waits for in-flight
// handlers up to a timeout, and drops what was waiting.
//
// NOT DURABLE: the queue lives in the process's memory, so a message that is
// waiting, waiting for a retry or being handled is lost on a crash (and the
// waiting ones on stop). Whoever enqueues must have committed what the
// message is about first, with a way to find it again (the embedded API
// commits the top-up before enqueueing its command, and the consumer's
// stalled recovery sends any top-up left CREATED).
import { Effect } from 'effect';
import { makeBoundedList } from './bounded-list';
import { BusDecision, type BusDelivery, RETRY_HEADERS, retryCountOf, truncateReason } from './bus-decision';
import type { BusLogger } from './bus-logger';
import { makeFifo } from './fifo';
import { retryDelayMs, type RetryDelayBounds } from './retry-delay.policy';

/** The exchange name deliveries of the bus carry. */
export const IN_PROCESS_EXCHANGE = 'in-process';

/** A message to enqueue. */
export interface BusMessage {
  readonly body: Uint8Array;
  readonly messageId: string;
  readonly routingKey: string;
  readonly type?: string | undefined;
  readonly contentType?: string | undefined;
  readonly correlationId?: string | undefined;
  readonly headers?: Readonly<Record<string, unknown>> | undefined;
}

/** A message the bus gave up on: a handler's `DeadLetter`, or a `Retry` past `maxRetries`. */
export interface DeadLetteredMessage {
  readonly messageId: string;
  readonly routingKey: string;
  readonly type: string | undefined;
  readonly body: Buffer;
  /** The message's headers when it was dead-lettered (with its `x-retry-count`). */
  readonly headers: Readonly<Record<string, unknown>>;
  /** The handler's reason, at most 512 characters. */
  readonly reason: string;
  /** The retries it went through. */
  readonly retries: number;
  readonly deadLetteredAt: Date;
}

/** Why an enqueue was refused. */
export type EnqueueRefusal = 'stopped' | 'full';

export interface MessageQueueOptions {
  /** The queue's name in logs. */
  readonly name: string;
  /** Messages waiting at most (ready, or waiting for a retry), at least 1; an enqueue past it is refused. */
  readonly capacity: number;
  /** Retries of one message; a `Retry` past them dead-letters it. */
  readonly maxRetries: number;
  /** The delay of retry n is `retryDelayMs(n, retryDelay)`. */
  readonly retryDelay: RetryDelayBounds;
  /** Jitter source, in [0, 1) (default `Math.random`). */
  readonly random?: (() => number) | undefined;
  /** Dead letters kept, at least 1 (the oldest are dropped). */
  readonly deadLetterCapacity: number;
  readonly logger: BusLogger;
  readonly now: () => Date;
}

/** The handler of a runner and how many messages it holds at once. */
export interface BusRunnerOptions {
  /** Decides about one delivery; a rejection is taken as `Retry` (and logged as a handler failure). */
  readonly handler: (delivery: BusDelivery) => Promise<BusDecision>;
  /** Deliveries held at once by this runner (at least 1). */
  readonly prefetch: number;
}

/** What was left when `stop` returned: handlers still running. */
export interface BusStopReport {
  readonly unfinished: number;
}

/** The consumer runner's interface (the messaging lib's `ConsumerRunner`), over the in-process queue. */
export interface BusRunner {
  /** Starts delivering to the handler. Never fails; a runner already started, stopped, or of a stopped bus stays as it is. */
  readonly start: Effect.Effect<void>;
  /**
   * Graceful shutdown: no new deliveries to this runner, then waits up to
   * `timeoutMs` for its in-flight handlers. Final; never rejects. What a
   * late handler decides is still carried out.
   */
  readonly stop: (timeoutMs: number) => Promise<BusStopReport>;
  /** Handlers running now. */
  readonly inFlight: () => number;
}

export interface QueueStats {
  /** Messages ready to be delivered. */
  readonly ready: number;
  /** Messages waiting for their retry delay. */
  readonly delayed: number;
  readonly inFlight: number;
  /** Messages dead-lettered since the start (some may have been dropped from the list). */
  readonly deadLettered: number;
  /** Messages dropped because the bus stopped (waiting, or retried after the stop). */
  readonly lost: number;
}

export interface QueueStopReport extends BusStopReport {
  /** Messages dropped by the stop (waiting or waiting for a retry). */
  readonly lost: number;
}

export interface MessageQueue {
  /** Adds a message at the end; answers why it was refused, or undefined when it was taken. */
  readonly enqueue: (message: BusMessage) => EnqueueRefusal | undefined;
  /** A new runner of this queue (several runners share the messages). */
  readonly runner: (options: BusRunnerOptions) => BusRunner;
  /** The kept dead letters, oldest first. */
  readonly deadLetters: () => readonly DeadLetteredMessage[];
  readonly stats: () => QueueStats;
  readonly isStopped: () => boolean;
  /** Refuses new messages, stops every runner (waiting up to `timeoutMs` for their handlers), drops what waits. Final. */
  readonly stop: (timeoutMs: number) => Promise<QueueStopReport>;
}

interface Entry {
  readonly message: BusMessage;
  readonly headers: Readonly<Record<string, unknown>>;
  /** The AMQP-like timestamp: enqueue time in whole seconds. */
  readonly timestamp: Date;
}

interface RunnerState {
  readonly id: number;
  readonly options: BusRunnerOptions;
  readonly prefetch: number;
  state: 'idle' | 'started' | 'stopped';
  active: number;
  readonly idleWaiters: Set<() => void>;
}

/**
 * A caller's headers without the bus's retry headers: only the bus counts a
 * message's retries, so one enqueued with an `x-retry-count` (copied from
 * another message, or forged) starts at 0 like any other.
 */
const callerHeaders = (message: BusMessage): Readonly<Record<string, unknown>> => {
  const { [RETRY_HEADERS.count]: _count, [RETRY_HEADERS.reason]: _reason, ...own } = message.headers ?? {};
  return own;
};

const wholeSeconds = (at: Date): Date => new Date(Math.floor(at.getTime() / 1000) * 1000);

/** The kind of a thrown value (its tag or class name), never its message. */
const kindOf = (error: unknown): string => {
  if (error instanceof Error) {
    const tag: unknown = (error as { readonly _tag?: unknown })._tag;
    return typeof tag === 'string' ? tag : error.name;
  }
  return typeof error;
};

const deliveryOf = (entry: Entry): BusDelivery => ({
  // a copy per delivery: a handler cannot change what a retry delivers
  body: Buffer.from(entry.message.body),
  messageId: entry.message.messageId,
  type: entry.message.type,
  contentType: entry.message.contentType,
  correlationId: entry.message.correlationId,
  timestamp: entry.timestamp,
  exchange: IN_PROCESS_EXCHANGE,
  routingKey: entry.message.routingKey,
  redelivered: false,
  deliveryCount: 0,
  headers: entry.headers,
});

/** Makes an empty queue; nothing is delivered until a runner starts. */
export const makeMessageQueue = (options: MessageQueueOptions): MessageQueue => {
  const { logger, now } = options;
  const queue = `in-process:${options.name}`;
  const capacity = Math.max(1, Math.floor(options.capacity));
  const maxRetries = Math.max(0, Math.floor(options.maxRetries));
  const ready = makeFifo<Entry>();
  const delayed = new Map<ReturnType<typeof setTimeout>, Entry>();
  const deadLetters = makeBoundedList<DeadLetteredMessage>(options.deadLetterCapacity);
  const runners: RunnerState[] = [];
  let nextRunner = 0;
  let pumpScheduled = false;
  let stopped = false;
  let deadLettered = 0;
  let lost = 0;

  const inFlight = (): number => runners.reduce((sum, runner) => sum + runner.active, 0);

  /** A started runner with room, taking turns. */
  const runnerWithRoom = (): RunnerState | undefined => {
    for (let i = 0; i < runners.length; i += 1) {
      const runner = runners[(nextRunner + i) % runners.length];
      if (runner !== undefined && runner.state === 'started' && runner.active < runner.prefetch) {
        nextRunner = (nextRunner + i + 1) % runners.length;
        return runner;
      }
    }
    return undefined;
  };

  const schedulePump = (): void => {
    if (pumpScheduled || stopped) return;
    pumpScheduled = true;
    setImmediate(pump);
  };

  const deadLetter = (entry: Entry, reason: string): void => {
    const retries = retryCountOf({ headers: entry.headers });
    deadLettered += 1;
    deadLetters.add({
      messageId: entry.message.messageId,
      routingKey: entry.message.routingKey,
      type: entry.message.type,
      body: Buffer.from(entry.message.body),
      headers: entry.headers,
      reason: truncateReason(reason),
      retries,
      deadLetteredAt: now(),
    });
    logger.warn(
      { queue, messageId: entry.message.messageId, retries, reason: truncateReason(reason) },
      'in-process message dead-lettered with its reason',
    );
  };

  const retryLater = (entry: Entry, reason: string): void => {
    const retries = retryCountOf({ headers: entry.headers });
    if (retries >= maxRetries) {
      logger.warn({ queue, retries, reason: truncateReason(reason) }, 'in-process message out of retries');
      return deadLetter(entry, `${reason} (given up after ${retries} retries)`);
    }
    if (stopped) {
      lost += 1;
      logger.warn({ queue, messageId: entry.message.messageId }, 'in-process message retried after the stop: lost');
      return;
    }
    const count = retries + 1;
    const delayMs = retryDelayMs(count, options.retryDelay, options.random);
    const retried: Entry = {
      ...entry,
      headers: { ...entry.headers, [RETRY_HEADERS.count]: count, [RETRY_HEADERS.reason]: truncateReason(reason) },
    };
    const timer = setTimeout(() => {
      delayed.delete(timer);
      ready.push(retried);
      schedulePump();
    }, delayMs);
    delayed.set(timer, retried);
    logger.info({ queue, retry: count, delayMs, reason: truncateReason(reason) }, 'in-process message will be retried');
  };

  const settle = (entry: Entry, decision: BusDecision): void =>
    BusDecision.$match(decision, {
      Ack: () => undefined,
      Retry: ({ reason }) => retryLater(entry, reason),
      DeadLetter: ({ reason }) => deadLetter(entry, reason),
    });

  const handle = async (runner: RunnerState, entry: Entry): Promise<void> => {
    let decision: BusDecision;
    try {
      decision = await runner.options.handler(deliveryOf(entry));
    } catch (error) {
      const reason = `handler failed: ${kindOf(error)}`;
      logger.error({ queue, reason }, 'in-process handler failed; message will be retried');
      decision = BusDecision.Retry({ reason });
    }
    settle(entry, decision);
  };

  const deliver = (runner: RunnerState, entry: Entry): void => {
    runner.active += 1;
    void handle(runner, entry)
      .catch((error: unknown) => {
        logger.error({ queue, reason: kindOf(error) }, 'in-process message handling failed');
      })
      .finally(() => {
        runner.active -= 1;
        if (runner.active === 0) for (const waiter of [...runner.idleWaiters]) waiter();
        schedulePump();
      });
  };

  function pump(): void {
    pumpScheduled = false;
    while (!stopped && ready.size() > 0) {
      const runner = runnerWithRoom();
      if (runner === undefined) return;
      const entry = ready.shift();
      if (entry === undefined) return;
      deliver(runner, entry);
    }
  }

  const waitIdle = (runner: RunnerState, timeoutMs: number): Promise<void> =>
    runner.active === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            runner.idleWaiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, Math.max(0, timeoutMs));
          runner.idleWaiters.add(done);
        });

  const stopRunner = async (runner: RunnerState, timeoutMs: number): Promise<BusStopReport> => {
    if (runner.state === 'stopped') return { unfinished: runner.active };
    runner.state = 'stopped';
    logger.info({ queue, runner: runner.id, inFlight: runner.active }, 'in-process runner stopping');
    await waitIdle(runner, timeoutMs);
    const unfinished = runner.active;
    logger.info({ queue, runner: runner.id, unfinished }, 'in-process runner stopped');
    return { unfinished };
  };

  return {
    enqueue: (message) => {
      if (stopped) return 'stopped';
      if (ready.size() + delayed.size >= capacity) {
        logger.warn({ queue, capacity }, 'in-process queue full; message refused');
        return 'full';
      }
      ready.push({ message, headers: callerHeaders(message), timestamp: wholeSeconds(now()) });
      schedulePump();
      return undefined;
    },

    runner: (runnerOptions) => {
      const runner: RunnerState = {
        id: runners.length + 1,
        options: runnerOptions,
        prefetch: Math.max(1, Math.floor(runnerOptions.prefetch)),
        state: 'idle',
        active: 0,
        idleWaiters: new Set(),
      };
      runners.push(runner);
      return {
        start: Effect.sync(() => {
          if (runner.state !== 'idle' || stopped) {
            logger.warn({ queue, runner: runner.id, state: runner.state, stopped }, 'in-process runner not started');
            return;
          }
          runner.state = 'started';
          logger.info({ queue, runner: runner.id, prefetch: runner.prefetch }, 'in-process runner started');
          schedulePump();
        }),
        stop: (timeoutMs) => stopRunner(runner, timeoutMs),
        inFlight: () => runner.active,
      };
    },

    deadLetters: () => deadLetters.items(),

    stats: () => ({ ready: ready.size(), delayed: delayed.size, inFlight: inFlight(), deadLettered, lost }),

    isStopped: () => stopped,

    stop: async (timeoutMs) => {
      if (stopped) return { unfinished: inFlight(), lost: 0 };
      stopped = true;
      const reports = await Promise.all(runners.map((runner) => stopRunner(runner, timeoutMs)));
      for (const timer of delayed.keys()) clearTimeout(timer);
      const dropped = ready.drain().length + delayed.size;
      delayed.clear();
      lost += dropped;
      const unfinished = reports.reduce((sum, report) => sum + report.unfinished, 0);
      if (dropped > 0) logger.warn({ queue, lost: dropped }, 'in-process bus stopped with messages waiting: lost');
      logger.info({ queue, unfinished, lost: dropped }, 'in-process bus stopped');
      return { unfinished, lost: dropped };
    },
  };
};
