// Publishes with publisher confirms: a publish succeeds only when the broker
// has taken responsibility for the message (basic.ack). Confirms never
// arrive for publishes in flight when a connection drops, so every publish
// has a deadline; `publish()` returning false means the channel's write
// buffer is full, and later publishes wait for 'drain'.
import type * as amqp from 'amqplib';
import { Effect } from 'effect';
import type { BrokerConnection, ManagedChannel } from '../connection/broker-connection.client';
import { describeAmqpFailure } from '../shared/amqp-failure.format';
import { PublishFailed, type PublishFailureKind } from '../shared/messaging.errors';
import { silentLogger, type MessagingLogger } from '../shared/messaging-logger';

/** A message to publish; the payload is sent as JSON, persistent (delivery mode 2). */
export interface OutgoingMessage {
  readonly exchange: string;
  readonly routingKey: string;
  /** The message's idempotency key: a publish tried again reuses it, and consumers dedupe on it. */
  readonly messageId: string;
  /** The message type, e.g. "topup.completed". */
  readonly type: string;
  /** Encoded with `JSON.stringify`; a value it cannot encode (a bigint) fails with kind `encoding`. */
  readonly payload: unknown;
  readonly correlationId?: string | undefined;
  readonly headers?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** Sent as the AMQP timestamp (whole seconds); default: now. */
  readonly timestamp?: Date | undefined;
  /** Fail with kind `unroutable` when no queue is bound for the routing key (default false). */
  readonly mandatory?: boolean | undefined;
}

/** An already encoded message, published as is (e.g. a delivery forwarded to the dead-letter exchange). */
export interface EncodedMessage {
  readonly exchange: string;
  readonly routingKey: string;
  /** Absent: the message is published with no message id (e.g. a delivery forwarded as it came). */
  readonly messageId: string | undefined;
  readonly content: Buffer;
  /** Every property but `persistent` (always true), `messageId` and `mandatory`. */
  readonly properties: Omit<amqp.Options.Publish, 'persistent' | 'messageId' | 'mandatory' | 'deliveryMode'>;
  readonly mandatory?: boolean | undefined;
}

export interface ConfirmPublisher {
  /** Publishes and waits for the broker's confirm, for at most `confirmTimeoutMs` in all. */
  readonly publish: (message: OutgoingMessage) => Effect.Effect<void, PublishFailed>;
  readonly publishEncoded: (message: EncodedMessage) => Effect.Effect<void, PublishFailed>;
  /** Publishes waiting for their confirm, and how many publishes waited for 'drain' so far. */
  readonly stats: () => { readonly inFlight: number; readonly drainWaits: number };
  /** Refuses new publishes, waits for those in flight (bounded by their deadline), closes the channel. Never rejects. */
  readonly close: () => Promise<void>;
}

export interface ConfirmPublisherOptions {
  readonly connection: BrokerConnection;
  readonly confirmTimeoutMs: number;
  /** For logs (default "publisher"). */
  readonly name?: string | undefined;
  /** Frames the write buffer holds before `publish()` returns false (amqplib's default is 1024). */
  readonly highWaterMark?: number | undefined;
  readonly logger?: MessagingLogger | undefined;
  readonly now?: () => Date;
}

/** The per-channel state: mandatory messages returned by the broker, and the pending wait for 'drain'. */
interface ChannelState {
  readonly returned: Map<string, number>;
  drain: Promise<void> | undefined;
}

const TIMED_OUT = Symbol('timed out');

/** `promise`, or TIMED_OUT when `deadline` (epoch ms) passes first. */
const before = <A>(promise: Promise<A>, deadline: number): Promise<A | typeof TIMED_OUT> => {
  const remainingMs = deadline - Date.now();
  if (remainingMs <= 0) return Promise.resolve(TIMED_OUT);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), remainingMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const failed = (kind: PublishFailureKind, reason: string, retryable: boolean): PublishFailed =>
  new PublishFailed({ kind, reason, retryable });

/** Makes a publisher on a managed confirm channel of `connection` (opened now, or when the connection comes up). */
export const makeConfirmPublisher = (options: ConfirmPublisherOptions): ConfirmPublisher => {
  const logger = options.logger ?? silentLogger;
  const name = options.name ?? 'publisher';
  const now = options.now ?? (() => new Date());
  const states = new WeakMap<amqp.ConfirmChannel, ChannelState>();
  let closed = false;
  let inFlight = 0;
  let drainWaits = 0;
  const idleWaiters = new Set<() => void>();

  const channel: ManagedChannel<amqp.ConfirmChannel> = options.connection.openChannel<amqp.ConfirmChannel>({
    name,
    confirm: true,
    highWaterMark: options.highWaterMark,
    setup: async (opened) => {
      const state: ChannelState = { returned: new Map(), drain: undefined };
      states.set(opened, state);
      // the broker sends basic.return before the basic.ack of the same message
      opened.on('return', (message: amqp.Message) => {
        const messageId: unknown = message.properties.messageId;
        const id = typeof messageId === 'string' ? messageId : '';
        state.returned.set(id, (state.returned.get(id) ?? 0) + 1);
      });
    },
  });

  const stateOf = (opened: amqp.ConfirmChannel): ChannelState => {
    const existing = states.get(opened);
    if (existing !== undefined) return existing;
    const created: ChannelState = { returned: new Map(), drain: undefined };
    states.set(opened, created);
    return created;
  };

  const waitForDrain = (opened: amqp.ConfirmChannel, state: ChannelState): Promise<void> => {
    state.drain ??= new Promise<void>((resolve) => {
      const done = (): void => {
        opened.off('drain', done);
        opened.off('close', done);
        state.drain = undefined;
        resolve();
      };
      opened.on('drain', done);
      opened.on('close', done);
    });
    return state.drain;
  };

  const takeReturned = (state: ChannelState, messageId: string): boolean => {
    const count = state.returned.get(messageId) ?? 0;
    if (count === 0) return false;
    if (count === 1) state.returned.delete(messageId);
    else state.returned.set(messageId, count - 1);
    return true;
  };

  /** One publish until its confirm or its deadline; resolves with the failure, never rejects. */
  const attempt = async (message: EncodedMessage): Promise<PublishFailed | undefined> => {
    const deadline = Date.now() + options.confirmTimeoutMs;
    const timeoutFailure = (stage: string): PublishFailed =>
      failed('timeout', `${stage} within the confirm timeout of ${options.confirmTimeoutMs} ms`, true);
    for (;;) {
      if (closed) return failed('publisher-closed', 'the publisher is closed', false);
      const opened = await channel.ready(Math.max(deadline - Date.now(), 0));
      if (opened === undefined) {
        if (closed) return failed('publisher-closed', 'the publisher is closed', false);
        const last = channel.lastFailure();
        return timeoutFailure(`no open channel${last === undefined ? '' : ` (last failure: ${last.reason})`}`);
      }
      const state = stateOf(opened);
      while (state.drain !== undefined) {
        if ((await before(state.drain, deadline)) === TIMED_OUT)
          return timeoutFailure('the write buffer did not drain');
      }
      if (channel.current() !== opened) continue;

      let writable = true;
      let confirmed: Promise<unknown>;
      try {
        confirmed = new Promise<unknown>((resolve) => {
          writable = opened.publish(
            message.exchange,
            message.routingKey,
            message.content,
            {
              ...message.properties,
              ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
              persistent: true,
              mandatory: message.mandatory ?? false,
            },
            (error: unknown) => resolve(error),
          );
        });
      } catch (error) {
        const failure = describeAmqpFailure(error);
        if ((error as { name?: unknown }).name === 'RangeError') {
          return failed('encoding', 'the message cannot be encoded (headers or properties too large)', false);
        }
        // nothing was sent: the channel closed under us; try again on the next one
        logger.debug(
          { publisher: name, reason: failure.reason },
          'amqp publish found its channel closed; trying again',
        );
        await pause(10);
        continue;
      }
      if (!writable) {
        drainWaits += 1;
        logger.debug({ publisher: name }, 'amqp write buffer full; later publishes wait for drain');
        void waitForDrain(opened, state);
      }
      const outcome = await before(confirmed, deadline);
      if (outcome === TIMED_OUT) return timeoutFailure('no confirm arrived');
      if (outcome === null || outcome === undefined) {
        if (message.mandatory === true && takeReturned(state, message.messageId ?? '')) {
          return failed('unroutable', `no queue is bound to the exchange for the routing key`, false);
        }
        return undefined;
      }
      const failure = describeAmqpFailure(outcome);
      if (failure.reason === 'nacked by the broker') return failed('nacked', failure.reason, true);
      const lost = channel.lastFailure() ?? failure;
      return failed('channel-closed', `the channel closed before the confirm: ${lost.reason}`, lost.retryable);
    }
  };

  const publishEncoded = (message: EncodedMessage): Effect.Effect<void, PublishFailed> =>
    Effect.flatMap(
      Effect.promise(async () => {
        inFlight += 1;
        try {
          return await attempt(message);
        } finally {
          inFlight -= 1;
          if (inFlight === 0) for (const waiter of [...idleWaiters]) waiter();
        }
      }),
      (failure) => {
        if (failure === undefined) return Effect.void;
        logger.warn({ publisher: name, kind: failure.kind, reason: failure.reason }, 'amqp publish not confirmed');
        return Effect.fail(failure);
      },
    );

  return {
    publish: (message) =>
      Effect.suspend(() => {
        let json: string | undefined;
        try {
          json = JSON.stringify(message.payload);
        } catch (error) {
          return Effect.fail(
            failed('encoding', `the payload is not JSON-serialisable (${(error as Error).name})`, false),
          );
        }
        if (json === undefined) return Effect.fail(failed('encoding', 'the payload has no JSON form', false));
        return publishEncoded({
          exchange: message.exchange,
          routingKey: message.routingKey,
          messageId: message.messageId,
          content: Buffer.from(json, 'utf8'),
          properties: {
            contentType: 'application/json',
            contentEncoding: 'utf-8',
            type: message.type,
            timestamp: Math.floor((message.timestamp ?? now()).getTime() / 1000),
            ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
            ...(message.headers === undefined ? {} : { headers: { ...message.headers } }),
          },
          mandatory: message.mandatory,
        });
      }),

    publishEncoded,

    stats: () => ({ inFlight, drainWaits }),

    close: async () => {
      closed = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const waiter = (): void => {
            idleWaiters.delete(waiter);
            resolve();
          };
          idleWaiters.add(waiter);
        });
      }
      await channel.close();
    },
  };
};
