// Consumes one queue with manual acknowledgements and a prefetch, runs a
// handler per delivery and carries out its decision: ack, retry or
// dead-letter with a reason. A retry goes through the retry (delay) queue
// when one is given: the message is published there, as is, with its retry
// count in a header and the backoff of that count as its expiration, and
// the original is acked only once that publish is confirmed; the broker
// dead-letters it back to the commands exchange when it expires. So retries
// wait longer and longer and never burn the queue's x-delivery-limit; past
// `maxRetries` the message is dead-lettered with the last reason. The count
// is read only from a delivery the broker marked as back from the retry
// queue (x-death), so a fresh command's own x-retry-count is 0. Without a
// retry queue a retry is a nack with requeue, counted by x-delivery-limit.
// Dead letters are published to the dead-letter exchange with the reason in
// a header and confirmed before the original is acked, so the reason is
// never lost (a nack without requeue would let the broker dead-letter the
// message, but with no room for our reason). The consumer survives channel
// and connection losses (the managed channel consumes again); deliveries
// whose channel was lost are not acked on the new one: the broker
// redelivers them. `stop` cancels the consumer (basic.cancel), waits for
// in-flight handlers, has those its timeout left running interrupted (when
// told how) and waits for them, then closes: the broker delivers their
// messages again only once no handler of theirs runs here any more.
import type * as amqp from 'amqplib';
import { Effect, Either } from 'effect';
import { backoffDelayMs, type BackoffBounds } from '../connection/backoff.policy';
import type { BrokerConnection, ManagedChannel } from '../connection/broker-connection.client';
import { makeConfirmPublisher, type ConfirmPublisher } from '../publisher/confirm-publisher.client';
import { describeAmqpFailure } from '../shared/amqp-failure.format';
import { ConsumerStartFailed } from '../shared/messaging.errors';
import { silentLogger, type MessagingLogger } from '../shared/messaging-logger';
import { ConsumeDecision, deliveryOf, type Delivery } from './consume-decision';

/** Headers the runner adds to a message it dead-letters (beside the message's own headers). */
export const DEAD_LETTER_HEADERS = {
  /** The handler's reason, at most 512 characters. */
  reason: 'x-dead-letter-reason',
  originalExchange: 'x-original-exchange',
  originalRoutingKey: 'x-original-routing-key',
  originalQueue: 'x-original-queue',
  /** Earlier failed deliveries of the message before it was dead-lettered. */
  deliveryCount: 'x-original-delivery-count',
  /** ISO 8601 time of the dead-lettering. */
  deadLetteredAt: 'x-dead-lettered-at',
} as const;

/** Headers of a message the runner parks in the retry queue (beside the message's own headers). */
export const RETRY_HEADERS = {
  /**
   * How many times the message was retried, this one included (1 for the
   * first retry); read back only from a delivery that came back from the
   * retry queue (see `retryCountOf`).
   */
  count: 'x-retry-count',
  /** The handler's reason for this retry, at most 512 characters. */
  reason: 'x-retry-reason',
} as const;

/** Headers the broker sets on a delivery, dropped from a message published again. */
const BROKER_HEADERS = new Set(['x-delivery-count']);

const MAX_REASON_LENGTH = 512;

/** Retries through a delay queue (see the file header). */
export interface RetryQueueSettings {
  /** The delay queue (published to through the default exchange); its expired messages go back to the consumed queue. */
  readonly queue: string;
  /** Retries of one message; a `Retry` past them dead-letters it with its reason. */
  readonly maxRetries: number;
  /** The delay of retry n is `backoffDelayMs(n, delay)`: `minDelayMs` doubling up to `maxDelayMs`, with jitter. */
  readonly delay: BackoffBounds;
  /** Jitter source, in [0, 1) (default `Math.random`). */
  readonly random?: (() => number) | undefined;
}

export interface ConsumerRunnerOptions {
  readonly connection: BrokerConnection;
  readonly queue: string;
  /** Where dead letters are published (their routing key is the original one). */
  readonly deadLetterExchange: string;
  /** Unacknowledged deliveries held at once (basic.qos per consumer). */
  readonly prefetch: number;
  /** The confirm timeout of dead-letter publishes. */
  readonly confirmTimeoutMs: number;
  /** Decides about one delivery; a rejection is taken as `Retry` (and logged as a handler failure). */
  readonly handler: (delivery: Delivery) => Promise<ConsumeDecision>;
  /** How long `start` waits for the consumer to be registered (default 10 s). */
  readonly startTimeoutMs?: number | undefined;
  /**
   * Retries through this delay queue. Without it, `Retry` is a nack with
   * requeue, counted by the queue's x-delivery-limit.
   */
  readonly retryQueue?: RetryQueueSettings | undefined;
  /**
   * A delivery requeued by a nack (no retry queue, or its publish was not
   * confirmed) is held this long first, so that a failing dependency is not
   * hammered (default 0).
   */
  readonly retryDelayMs?: number | undefined;
  readonly logger?: MessagingLogger | undefined;
  readonly now?: () => Date;
}

/** What was left when `stop` returned: handlers still running (their deliveries go back to the queue). */
export interface ConsumerStopReport {
  readonly unfinished: number;
}

/** What `stop` does with the handlers its timeout left running. */
export interface ConsumerStopOptions {
  /**
   * Ends the handlers still running after the timeout (e.g. interrupts
   * them) and resolves once they have ended; called before the channel
   * closes. A Retry they then decide is left unacknowledged (not parked in
   * the retry queue, not counted as a retry): the broker delivers the
   * message again when the channel closes, after its first handler ended,
   * never beside it. Without it the channel closes on the running handlers.
   * The stop waits for it without a bound of its own: it must end.
   */
  readonly interruptUnfinished?: (() => Promise<unknown>) | undefined;
}

export interface ConsumerRunner {
  /** Starts consuming; fails when no consumer is registered within the start timeout (e.g. a missing queue). */
  readonly start: Effect.Effect<void, ConsumerStartFailed>;
  /**
   * Graceful shutdown: basic.cancel (no new deliveries), waits up to
   * `timeoutMs` for in-flight handlers and their acks, has the ones left
   * ended by `options.interruptUnfinished` and waits up to `timeoutMs` again
   * for their decisions, then closes the channel. `unfinished` counts the
   * handlers running at the first timeout. No handler starts once it began
   * (a delivery still coming is left unacknowledged for the broker to
   * deliver again). Final; never rejects; a second call answers with the
   * first once that one has closed.
   */
  readonly stop: (timeoutMs: number, options?: ConsumerStopOptions) => Promise<ConsumerStopReport>;
  /** Handlers running now. */
  readonly inFlight: () => number;
}

const truncate = (reason: string): string =>
  reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;

/** Whether the delivery came back from `retryQueue`: an `x-death` entry of that queue with reason `expired`. */
const cameBackFrom = (delivery: Pick<Delivery, 'headers'>, retryQueue: string): boolean => {
  const deaths = delivery.headers['x-death'];
  return (
    Array.isArray(deaths) &&
    deaths.some((death: unknown) => {
      if (typeof death !== 'object' || death === null) return false;
      const { queue, reason } = death as { readonly queue?: unknown; readonly reason?: unknown };
      return queue === retryQueue && reason === 'expired';
    })
  );
};

/**
 * The retries a delivery went through so far: its `x-retry-count`, trusted
 * only when the delivery came back from `retryQueue` (the broker's `x-death`
 * entry of that queue, reason `expired`); 0 otherwise, and when absent or
 * not a count. A publisher's own `x-retry-count` on a fresh command (copied,
 * or forged) never shortens its retries. (RabbitMQ 3.x keeps an `x-death`
 * header a publisher sets, so this stops copied headers, not a determined
 * publisher.)
 */
export const retryCountOf = (delivery: Pick<Delivery, 'headers'>, retryQueue: string): number => {
  if (!cameBackFrom(delivery, retryQueue)) return 0;
  const count = delivery.headers[RETRY_HEADERS.count];
  return typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 0;
};

/** The properties a message keeps when it is published again (never `userId`, which the broker checks). */
const forwardedProperties = (properties: amqp.MessageProperties) => ({
  ...(typeof properties.contentType === 'string' ? { contentType: properties.contentType } : {}),
  ...(typeof properties.contentEncoding === 'string' ? { contentEncoding: properties.contentEncoding } : {}),
  ...(typeof properties.type === 'string' ? { type: properties.type } : {}),
  ...(typeof properties.correlationId === 'string' ? { correlationId: properties.correlationId } : {}),
  ...(typeof properties.appId === 'string' ? { appId: properties.appId } : {}),
  ...(typeof properties.timestamp === 'number' ? { timestamp: properties.timestamp } : {}),
});

/** The delivery's own headers, without those the broker sets on delivery. */
const ownHeaders = (delivery: Delivery): Record<string, unknown> =>
  Object.fromEntries(Object.entries(delivery.headers).filter(([key]) => !BROKER_HEADERS.has(key)));

/** Makes a consumer of `options.queue`; nothing is consumed until `start`. */
export const makeConsumerRunner = (options: ConsumerRunnerOptions): ConsumerRunner => {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const name = `consumer:${options.queue}`;
  const consumerTags = new WeakMap<amqp.Channel, string>();
  const holds = new Set<() => void>();
  const idleWaiters = new Set<() => void>();
  let active = 0;
  let stopping = false;
  /** Set once the stop interrupts the handlers its timeout left: their Retry stays unacknowledged. */
  let abandoned = false;
  /** The stop under way or done (every call answers with it). */
  let stopped: Promise<ConsumerStopReport> | undefined;
  let channel: ManagedChannel<amqp.Channel> | undefined;
  /** Publishes dead letters and retries (confirmed). */
  let republisher: ConfirmPublisher | undefined;

  const isCurrent = (opened: amqp.Channel): boolean => channel?.current() === opened;

  /** Acks or nacks on the channel the delivery came on, if it is still open; otherwise the broker redelivers. */
  const settle = (opened: amqp.Channel, outcome: 'ack' | 'requeue', message: amqp.ConsumeMessage): void => {
    if (!isCurrent(opened)) {
      logger.warn(
        { consumer: name, outcome },
        'amqp delivery outcome dropped: its channel is gone; the broker redelivers',
      );
      return;
    }
    try {
      if (outcome === 'ack') opened.ack(message);
      else opened.nack(message, false, true);
    } catch (error) {
      logger.warn({ consumer: name, outcome, reason: describeAmqpFailure(error).reason }, 'amqp ack or nack failed');
    }
  };

  const hold = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        holds.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      holds.add(release);
    });

  const deadLetter = async (opened: amqp.Channel, message: amqp.ConsumeMessage, delivery: Delivery, reason: string) => {
    const publisher = republisher;
    if (publisher === undefined) return settle(opened, 'requeue', message);
    const result = await Effect.runPromise(
      Effect.either(
        publisher.publishEncoded({
          exchange: options.deadLetterExchange,
          routingKey: delivery.routingKey,
          messageId: delivery.messageId,
          content: message.content,
          properties: {
            ...forwardedProperties(message.properties),
            headers: {
              ...ownHeaders(delivery),
              [DEAD_LETTER_HEADERS.reason]: truncate(reason),
              [DEAD_LETTER_HEADERS.originalExchange]: delivery.exchange,
              [DEAD_LETTER_HEADERS.originalRoutingKey]: delivery.routingKey,
              [DEAD_LETTER_HEADERS.originalQueue]: options.queue,
              [DEAD_LETTER_HEADERS.deliveryCount]: delivery.deliveryCount,
              [DEAD_LETTER_HEADERS.deadLetteredAt]: now().toISOString(),
            },
          },
        }),
      ),
    );
    if (Either.isRight(result)) {
      logger.info({ consumer: name }, 'amqp delivery dead-lettered with its reason');
      return settle(opened, 'ack', message);
    }
    // not confirmed: requeue it; past the delivery limit the broker dead-letters it (x-death, without our reason)
    logger.warn(
      { consumer: name, kind: result.left.kind, reason: result.left.reason },
      'amqp dead-letter publish failed; delivery requeued',
    );
    return settle(opened, 'requeue', message);
  };

  /** Holds the delivery for `retryDelayMs`, then returns it to the queue (a nack, counted by x-delivery-limit). */
  const requeueLater = async (opened: amqp.Channel, message: amqp.ConsumeMessage): Promise<void> => {
    const delayMs = options.retryDelayMs ?? 0;
    if (delayMs > 0 && !stopping) await hold(delayMs);
    settle(opened, 'requeue', message);
  };

  /**
   * Parks the delivery in the retry queue with its retry count and a
   * growing expiration, then acks it; past `maxRetries` dead-letters it.
   * When the publish is not confirmed it is requeued instead (never lost).
   */
  const retryLater = async (
    opened: amqp.Channel,
    message: amqp.ConsumeMessage,
    delivery: Delivery,
    reason: string,
    retry: RetryQueueSettings,
  ): Promise<void> => {
    const retries = retryCountOf(delivery, retry.queue);
    if (retries >= retry.maxRetries) {
      logger.warn({ consumer: name, retries, reason: truncate(reason) }, 'amqp delivery out of retries');
      return deadLetter(opened, message, delivery, `${reason} (given up after ${retries} retries)`);
    }
    const publisher = republisher;
    if (publisher === undefined) return requeueLater(opened, message);
    const count = retries + 1;
    const delayMs = backoffDelayMs(count, retry.delay, retry.random);
    const result = await Effect.runPromise(
      Effect.either(
        publisher.publishEncoded({
          exchange: '',
          routingKey: retry.queue,
          messageId: delivery.messageId,
          content: message.content,
          mandatory: true,
          properties: {
            ...forwardedProperties(message.properties),
            expiration: String(delayMs),
            headers: {
              ...ownHeaders(delivery),
              [RETRY_HEADERS.count]: count,
              [RETRY_HEADERS.reason]: truncate(reason),
            },
          },
        }),
      ),
    );
    if (Either.isRight(result)) {
      logger.info(
        { consumer: name, retry: count, delayMs, reason: truncate(reason) },
        'amqp delivery parked in the retry queue',
      );
      return settle(opened, 'ack', message);
    }
    logger.warn(
      { consumer: name, kind: result.left.kind, reason: result.left.reason },
      'amqp retry publish failed; delivery requeued',
    );
    return requeueLater(opened, message);
  };

  const handle = async (opened: amqp.Channel, message: amqp.ConsumeMessage): Promise<void> => {
    const delivery = deliveryOf(message);
    let decision: ConsumeDecision;
    try {
      decision = await options.handler(delivery);
    } catch (error) {
      const reason = `handler failed: ${describeAmqpFailure(error).reason}`;
      logger.error({ consumer: name, reason }, 'amqp handler failed; delivery will be retried');
      decision = ConsumeDecision.Retry({ reason });
    }
    await ConsumeDecision.$match(decision, {
      Ack: async () => settle(opened, 'ack', message),
      Retry: async ({ reason }) => {
        if (abandoned) {
          logger.info(
            { consumer: name, reason: truncate(reason) },
            'amqp delivery left unacknowledged by the stop; the broker delivers it again once the channel closes',
          );
          return;
        }
        const retry = options.retryQueue;
        if (retry !== undefined) return retryLater(opened, message, delivery, reason, retry);
        logger.info(
          { consumer: name, reason: truncate(reason), deliveryCount: delivery.deliveryCount },
          'amqp delivery requeued',
        );
        return requeueLater(opened, message);
      },
      DeadLetter: ({ reason }) => deadLetter(opened, message, delivery, reason),
    });
  };

  const onMessage = (opened: amqp.Channel, message: amqp.ConsumeMessage | null): void => {
    if (message === null) {
      // the broker cancelled the consumer (queue deleted): consume again after the backoff
      logger.warn({ consumer: name }, 'amqp consumer cancelled by the broker');
      if (!stopping && isCurrent(opened)) void channel?.reopen();
      return;
    }
    if (stopping) {
      // no handler starts once the stop began: not one its timeout and interrupt would not see (a delivery
      // on a channel whose consume registered after the stop looked for it, e.g. one reopened after a
      // connection loss, or one in flight before basic.cancel-ok). Left unacknowledged, it comes back to
      // another consumer when the channel closes, with nothing of it running here.
      logger.info({ consumer: name }, 'amqp delivery left unacknowledged: the consumer is stopping');
      return;
    }
    active += 1;
    void handle(opened, message)
      .catch((error: unknown) => {
        logger.error({ consumer: name, reason: describeAmqpFailure(error).reason }, 'amqp delivery handling failed');
      })
      .finally(() => {
        active -= 1;
        if (active === 0) for (const waiter of [...idleWaiters]) waiter();
      });
  };

  const setup = async (opened: amqp.Channel): Promise<void> => {
    if (stopping) return;
    await opened.prefetch(options.prefetch);
    const reply = await opened.consume(options.queue, (message) => onMessage(opened, message), { noAck: false });
    consumerTags.set(opened, reply.consumerTag);
    logger.info({ consumer: name, prefetch: options.prefetch }, 'amqp consumer registered');
  };

  const waitIdle = (timeoutMs: number): Promise<void> =>
    active === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            idleWaiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, timeoutMs);
          idleWaiters.add(done);
        });

  const stopGracefully = async (timeoutMs: number, stopOptions: ConsumerStopOptions | undefined) => {
    stopping = true;
    const opened = channel?.current();
    const tag = opened === undefined ? undefined : consumerTags.get(opened);
    if (opened !== undefined && tag !== undefined) {
      await opened.cancel(tag).catch((error: unknown) => {
        logger.warn({ consumer: name, reason: describeAmqpFailure(error).reason }, 'amqp basic.cancel failed');
      });
    }
    logger.info({ consumer: name, inFlight: active }, 'amqp consumer cancelled; waiting for in-flight deliveries');
    for (const release of [...holds]) release();
    await waitIdle(timeoutMs);
    const unfinished = active;
    const interruptUnfinished = stopOptions?.interruptUnfinished;
    if (unfinished > 0 && interruptUnfinished !== undefined) {
      abandoned = true;
      logger.warn({ consumer: name, unfinished }, 'amqp handlers outlived the stop timeout; interrupting them');
      await interruptUnfinished().catch((error: unknown) => {
        logger.error({ consumer: name, reason: describeAmqpFailure(error).reason }, 'amqp handlers interrupt failed');
      });
      await waitIdle(timeoutMs);
    }
    await channel?.close();
    await republisher?.close();
    logger.info({ consumer: name, unfinished }, 'amqp consumer stopped');
    return { unfinished };
  };

  return {
    start: Effect.flatMap(
      Effect.promise(async () => {
        if (stopping || channel !== undefined) {
          return new ConsumerStartFailed({
            queue: options.queue,
            reason: 'already started or stopped',
            retryable: false,
          });
        }
        republisher = makeConfirmPublisher({
          connection: options.connection,
          confirmTimeoutMs: options.confirmTimeoutMs,
          name: `republisher:${options.queue}`,
          logger,
          now,
        });
        const managed = options.connection.openChannel<amqp.Channel>({ name, confirm: false, setup });
        channel = managed;
        const opened = await managed.ready(options.startTimeoutMs ?? 10_000);
        if (opened !== undefined) return undefined;
        const last = managed.lastFailure();
        // a failed start is final: stop trying to consume in the background
        stopping = true;
        await managed.close();
        await republisher.close();
        return new ConsumerStartFailed({
          queue: options.queue,
          reason: last === undefined ? 'no channel within the start timeout' : last.reason,
          retryable: last?.retryable ?? true,
        });
      }),
      (failure) => (failure === undefined ? Effect.void : Effect.fail(failure)),
    ),

    stop: (timeoutMs, stopOptions) => {
      // a second call answers with the first once it has let go (its options are those of the first)
      if (stopped !== undefined) return stopped;
      // a start that failed already closed everything
      if (stopping) return Promise.resolve({ unfinished: active });
      stopped = stopGracefully(timeoutMs, stopOptions);
      return stopped;
    },

    inFlight: () => active,
  };
};
