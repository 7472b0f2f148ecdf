// One AMQP connection that stays up: it connects with backoff, reconnects
// when the connection drops, and reopens its managed channels (running their
// setup again: prefetch, consume) when a channel or the connection is lost.
// State changes are emitted to listeners and logged; the URL's password is
// never logged.
import * as amqp from 'amqplib';
import { Effect } from 'effect';
import { redactAmqpUrl, type MessagingConfig } from '../config/messaging.config';
import { describeAmqpFailure, type AmqpFailure } from '../shared/amqp-failure.format';
import { BrokerUnavailable } from '../shared/messaging.errors';
import { silentLogger, type MessagingLogger } from '../shared/messaging-logger';
import { backoffDelayMs, type BackoffBounds } from './backoff.policy';

/**
 * `idle` before `start`; `connecting` until the first connection;
 * `connected`; `reconnecting` after a loss; `closed` after `close` (final).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A state change, with the failure kind that caused it and the next attempt's delay when one is scheduled. */
export interface ConnectionStateChange {
  readonly from: ConnectionState;
  readonly to: ConnectionState;
  readonly reason?: string | undefined;
  readonly attempt?: number | undefined;
  readonly nextAttemptInMs?: number | undefined;
}

/** The connection settings the manager needs (a subset of `MessagingConfig`). */
export type BrokerConnectionSettings = Pick<
  MessagingConfig,
  'url' | 'connectTimeoutMs' | 'heartbeatSeconds' | 'reconnectMinDelayMs' | 'reconnectMaxDelayMs'
>;

export interface BrokerConnectionOptions extends BrokerConnectionSettings {
  /** Shown by the broker (`connection_name` client property), e.g. "airtime-consumer". */
  readonly connectionName: string;
  readonly logger?: MessagingLogger | undefined;
  /** Attempts before `start` gives up on an unreachable broker (default: no limit). Reconnects never give up. */
  readonly startAttempts?: number | undefined;
  /**
   * How long `start` waits for an unreachable broker, from its first attempt
   * (an app's AMQP_START_TIMEOUT_MS; default: no limit; 0: one attempt). With
   * it, a failed start's reason is one line naming AMQP_URL (password masked)
   * for the app to print. While it waits, no attempt runs past the deadline
   * (each connect's timeout is cut to what is left of it, at least 100 ms).
   * Reconnects never give up.
   */
  readonly startTimeoutMs?: number | undefined;
  /** The variable that set `startTimeoutMs`, named in the failure's line (default AMQP_START_TIMEOUT_MS). */
  readonly startTimeoutVariable?: string | undefined;
  /** Jitter source of the backoff, in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/** What a managed channel runs on each open, and how it opens. */
export interface ChannelSpec<C extends amqp.Channel> {
  /** For logs, e.g. "publisher" or "consumer:airtime.topup.commands". */
  readonly name: string;
  readonly confirm: C extends amqp.ConfirmChannel ? true : false;
  /** Frames the channel's write buffer holds before `publish()` returns false (amqplib's default is 1024). */
  readonly highWaterMark?: number | undefined;
  /**
   * Runs on every open, before the channel is handed out: prefetch,
   * consume, listeners. A failure (for instance NOT_FOUND for a missing
   * queue) closes the channel and the open is tried again with backoff.
   */
  readonly setup?: (channel: C) => Promise<void>;
}

/** A channel that is reopened after a loss, for as long as it is not closed. */
export interface ManagedChannel<C extends amqp.Channel> {
  readonly name: string;
  /** The open channel, if any. A channel handed out earlier may since have closed; compare with `current()`. */
  readonly current: () => C | undefined;
  /** The open channel, waiting up to `timeoutMs` for one; `undefined` on timeout or once closed. */
  readonly ready: (timeoutMs: number) => Promise<C | undefined>;
  /** Why the last channel closed or the last open failed (kinds only). */
  readonly lastFailure: () => AmqpFailure | undefined;
  /** Closes the current channel and opens a new one after the backoff (e.g. after the broker cancelled a consumer). */
  readonly reopen: () => Promise<void>;
  /** Closes the channel for good (unacknowledged deliveries go back to the queue). */
  readonly close: () => Promise<void>;
}

/** The connection as its users see it. */
export interface BrokerConnection {
  readonly state: () => ConnectionState;
  /**
   * Connects (with backoff) and succeeds on the first connection. Fails
   * with `BrokerUnavailable`: not retryable when the broker refused us
   * (ACCESS_REFUSED, NOT_ALLOWED for an unknown vhost); retryable after
   * `startAttempts` failed attempts or when closed meanwhile.
   */
  readonly start: Effect.Effect<void, BrokerUnavailable>;
  /** Registers a state listener; returns its removal. */
  readonly onStateChange: (listener: (change: ConnectionStateChange) => void) => () => void;
  readonly openChannel: <C extends amqp.Channel>(spec: ChannelSpec<C>) => ManagedChannel<C>;
  /**
   * Runs `work` on a short-lived channel of the current connection, waiting
   * up to `timeoutMs` for one; rejects with `BrokerUnavailable` when there is
   * none by then, or with what `work` or amqplib threw.
   */
  readonly withChannel: <A>(timeoutMs: number, work: (channel: amqp.Channel) => Promise<A>) => Promise<A>;
  /** Closes every managed channel, then the connection; final. Never rejects. */
  readonly close: () => Promise<void>;
}

const noop = (): void => undefined;

/** The URL with the heartbeat set (unless the URL sets its own). */
const withHeartbeat = (url: string, heartbeatSeconds: number): string => {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatSeconds));
  return parsed.toString();
};

/** Makes the connection manager; nothing happens until `start`. */
export const makeBrokerConnection = (options: BrokerConnectionOptions): BrokerConnection => {
  const logger = options.logger ?? silentLogger;
  const bounds: BackoffBounds = { minDelayMs: options.reconnectMinDelayMs, maxDelayMs: options.reconnectMaxDelayMs };
  const random = options.random ?? Math.random;
  const startAttempts = options.startAttempts ?? Number.POSITIVE_INFINITY;
  const startTimeoutMs = options.startTimeoutMs;
  /** When `start` stops waiting for an unreachable broker (set by the first attempt). */
  let startDeadline = Number.POSITIVE_INFINITY;
  const safeUrl = redactAmqpUrl(options.url);

  let state: ConnectionState = 'idle';
  let model: amqp.ChannelModel | undefined;
  let connectedOnce = false;
  let connecting: Promise<void> | undefined;
  let retryTimer: { readonly timer: NodeJS.Timeout; readonly wake: () => void } | undefined;
  /** The failure of the current connection, recorded by its 'error' event before its channels close. */
  let connectionFailure: AmqpFailure | undefined;
  const listeners = new Set<(change: ConnectionStateChange) => void>();
  const channels = new Set<ManagedChannelImpl<amqp.Channel>>();
  const startWaiters = new Set<(failure: BrokerUnavailable | undefined) => void>();
  const modelWaiters = new Set<(model: amqp.ChannelModel | undefined) => void>();

  // a function, so that checks after an await read the state anew
  const isClosed = (): boolean => state === 'closed';

  const setState = (to: ConnectionState, details: Omit<ConnectionStateChange, 'from' | 'to'> = {}): void => {
    const change: ConnectionStateChange = { from: state, to, ...details };
    state = to;
    const fields = { connection: options.connectionName, url: safeUrl, ...change };
    if (to === 'reconnecting' || (to === 'connecting' && details.reason !== undefined)) {
      logger.warn(fields, 'amqp connection state changed');
    } else {
      logger.info(fields, 'amqp connection state changed');
    }
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        logger.error({ reason: describeAmqpFailure(error).reason }, 'amqp connection state listener failed');
      }
    }
  };

  const settleStart = (failure: BrokerUnavailable | undefined): void => {
    for (const waiter of [...startWaiters]) waiter(failure);
    startWaiters.clear();
  };

  const handOutModel = (value: amqp.ChannelModel | undefined): void => {
    for (const waiter of [...modelWaiters]) waiter(value);
    modelWaiters.clear();
  };

  const sleep = (delayMs: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        retryTimer = undefined;
        resolve();
      }, delayMs);
      retryTimer = { timer, wake: resolve };
    });

  const bind = (opened: amqp.ChannelModel): void => {
    connectionFailure = undefined;
    opened.on('error', (error: unknown) => {
      connectionFailure = describeAmqpFailure(error);
      logger.warn({ connection: options.connectionName, reason: connectionFailure.reason }, 'amqp connection error');
    });
    opened.on('blocked', () =>
      logger.warn({ connection: options.connectionName }, 'amqp connection blocked by the broker'),
    );
    opened.on('unblocked', () => logger.info({ connection: options.connectionName }, 'amqp connection unblocked'));
    opened.on('close', () => {
      if (model !== opened) return;
      model = undefined;
      if (state === 'closed') return;
      const failure = connectionFailure ?? { reason: 'closed by the broker', retryable: true };
      setState('reconnecting', { reason: failure.reason });
      void connectLoop();
    });
  };

  /** The first connection never waits past the start's deadline (at least 100 ms: one attempt when it is 0). */
  const connectTimeoutMs = (): number =>
    connectedOnce || startDeadline === Number.POSITIVE_INFINITY
      ? options.connectTimeoutMs
      : Math.max(Math.min(options.connectTimeoutMs, startDeadline - Date.now()), 100);

  const connectOnce = async (): Promise<amqp.ChannelModel> =>
    amqp.connect(withHeartbeat(options.url, options.heartbeatSeconds), {
      timeout: connectTimeoutMs(),
      clientProperties: { connection_name: options.connectionName },
    });

  /** Why `start` failed; with `startTimeoutMs`, one line naming AMQP_URL (as `npm start`'s). */
  const startFailureReason = (failure: AmqpFailure, attempt: number): string => {
    const reason = failure.reason.split(options.url).join(safeUrl);
    if (startTimeoutMs === undefined) {
      return failure.retryable
        ? `${reason}; gave up after ${attempt} attempt(s) at ${safeUrl}`
        : `${reason} at ${safeUrl}`;
    }
    if (!failure.retryable) return `RabbitMQ at ${safeUrl} (AMQP_URL) refused the connection: ${reason}`;
    return Date.now() >= startDeadline
      ? `cannot reach RabbitMQ at ${safeUrl} (AMQP_URL) within ${Math.round(startTimeoutMs / 1000)} s ` +
          `(${options.startTimeoutVariable ?? 'AMQP_START_TIMEOUT_MS'}): ${reason}; is RabbitMQ running? (npm run services starts a local one)`
      : `cannot reach RabbitMQ at ${safeUrl} (AMQP_URL): ${reason}; gave up after ${attempt} attempt(s)`;
  };

  const connectLoop = (): Promise<void> => {
    if (connecting !== undefined) return connecting;
    connecting = (async () => {
      let attempt = 0;
      while (state !== 'closed') {
        attempt += 1;
        try {
          const opened = await connectOnce();
          if (!isClosed()) {
            model = opened;
            connectedOnce = true;
            bind(opened);
            setState('connected', { attempt });
            settleStart(undefined);
            handOutModel(opened);
            for (const channel of channels) channel.resume();
          } else {
            await opened.close().catch(noop);
          }
          return;
        } catch (error) {
          const failure = describeAmqpFailure(error);
          if (isClosed()) return;
          if (!connectedOnce && (!failure.retryable || attempt >= startAttempts || Date.now() >= startDeadline)) {
            setState('idle', { reason: failure.reason, attempt });
            settleStart(
              new BrokerUnavailable({
                reason: startFailureReason(failure, attempt),
                retryable: failure.retryable,
              }),
            );
            return;
          }
          const backoffMs = backoffDelayMs(attempt, bounds, random);
          // the last wait of a start ends at its deadline, when the start gives up
          const delayMs = connectedOnce ? backoffMs : Math.max(Math.min(backoffMs, startDeadline - Date.now()), 0);
          setState(connectedOnce ? 'reconnecting' : 'connecting', {
            reason: failure.reason,
            attempt,
            nextAttemptInMs: delayMs,
          });
          await sleep(delayMs);
        }
      }
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const waitForModel = (timeoutMs: number): Promise<amqp.ChannelModel | undefined> => {
    if (model !== undefined) return Promise.resolve(model);
    if (state === 'closed') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = (value: amqp.ChannelModel | undefined): void => {
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        modelWaiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      modelWaiters.add(waiter);
    });
  };

  class ManagedChannelImpl<C extends amqp.Channel> implements ManagedChannel<C> {
    readonly name: string;
    private channel: C | undefined;
    private opening = false;
    private closed = false;
    private attempts = 0;
    private timer: NodeJS.Timeout | undefined;
    private failure: AmqpFailure | undefined;
    private readonly waiters = new Set<(channel: C | undefined) => void>();

    constructor(private readonly spec: ChannelSpec<C>) {
      this.name = spec.name;
    }

    current = (): C | undefined => this.channel;

    lastFailure = (): AmqpFailure | undefined => this.failure;

    ready = (timeoutMs: number): Promise<C | undefined> => {
      if (this.channel !== undefined) return Promise.resolve(this.channel);
      if (this.closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const waiter = (channel: C | undefined): void => {
          clearTimeout(timer);
          resolve(channel);
        };
        const timer = setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(undefined);
        }, timeoutMs);
        this.waiters.add(waiter);
      });
    };

    /** Opens the channel if the connection is up and no channel is open or opening. */
    open = (): void => {
      if (this.closed || this.opening || this.channel !== undefined || this.timer !== undefined) return;
      const on = model;
      if (on === undefined) return; // opened when the connection comes back
      this.opening = true;
      void this.openOn(on).finally(() => {
        this.opening = false;
      });
    };

    private openOn = async (on: amqp.ChannelModel): Promise<void> => {
      let created: C | undefined;
      let channelError: AmqpFailure | undefined;
      let closedEarly = false;
      try {
        const options = this.spec.highWaterMark === undefined ? undefined : { highWaterMark: this.spec.highWaterMark };
        created = (this.spec.confirm ? await on.createConfirmChannel(options) : await on.createChannel(options)) as C;
        const opened = created;
        opened.on('error', (error: unknown) => {
          channelError = describeAmqpFailure(error);
        });
        opened.on('close', () => {
          closedEarly = true;
          this.lost(opened, channelError);
        });
        await this.spec.setup?.(opened);
        if (closedEarly) throw new Error('channel closed');
        if (this.closed) {
          await opened.close().catch(noop);
          return;
        }
        this.channel = opened;
        this.attempts = 0;
        this.failure = undefined;
        logger.info({ channel: this.name }, 'amqp channel open');
        for (const waiter of [...this.waiters]) waiter(opened);
        this.waiters.clear();
      } catch (error) {
        this.failure = channelError ?? this.lossOf(describeAmqpFailure(error));
        logger.warn({ channel: this.name, reason: this.failure.reason }, 'amqp channel open failed');
        if (created !== undefined && !closedEarly) await created.close().catch(noop);
        this.scheduleOpen();
      }
    };

    /** The failure of a channel that closed with no error of its own: that of its connection, if it failed. */
    private lossOf = (fallback: AmqpFailure): AmqpFailure =>
      // the connection's 'error' comes before its channels close, its 'close' after them
      connectionFailure !== undefined || model === undefined
        ? { reason: `connection lost: ${connectionFailure?.reason ?? 'closed'}`, retryable: true }
        : fallback;

    private lost = (channel: C, error: AmqpFailure | undefined): void => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      // set now: publishers read it when their confirms fail, in this same turn
      this.failure = error ?? this.lossOf({ reason: 'channel closed', retryable: true });
      if (this.closed) return;
      logger.warn({ channel: this.name, reason: this.failure.reason }, 'amqp channel lost');
      this.scheduleOpen();
    };

    /** Opens now (the connection is back), without waiting for a pending reopen delay. */
    resume = (): void => {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.open();
    };

    private scheduleOpen = (): void => {
      if (this.closed || this.timer !== undefined || state === 'closed') return;
      this.attempts += 1;
      const delayMs = backoffDelayMs(this.attempts, bounds, random);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.open();
      }, delayMs);
    };

    reopen = async (): Promise<void> => {
      const channel = this.channel;
      if (channel === undefined) return;
      this.channel = undefined;
      this.failure = { reason: 'reopened', retryable: true };
      await channel.close().catch(noop);
      this.scheduleOpen();
    };

    close = async (): Promise<void> => {
      if (this.closed) return;
      this.closed = true;
      channels.delete(this as unknown as ManagedChannelImpl<amqp.Channel>);
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      for (const waiter of [...this.waiters]) waiter(undefined);
      this.waiters.clear();
      const channel = this.channel;
      this.channel = undefined;
      if (channel !== undefined) await channel.close().catch(noop);
    };
  }

  return {
    state: () => state,

    start: Effect.async<void, BrokerUnavailable>((resume) => {
      if (state === 'connected') return resume(Effect.void);
      if (state === 'closed') {
        return resume(Effect.fail(new BrokerUnavailable({ reason: 'connection closed', retryable: false })));
      }
      startWaiters.add((failure) => resume(failure === undefined ? Effect.void : Effect.fail(failure)));
      if (state === 'idle') {
        startDeadline = startTimeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + startTimeoutMs;
        setState('connecting');
      }
      void connectLoop();
    }),

    onStateChange: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    openChannel: <C extends amqp.Channel>(spec: ChannelSpec<C>): ManagedChannel<C> => {
      const channel = new ManagedChannelImpl<C>(spec);
      if (state !== 'closed') {
        channels.add(channel as unknown as ManagedChannelImpl<amqp.Channel>);
        channel.open();
      } else {
        void channel.close();
      }
      return channel;
    },

    withChannel: async (timeoutMs, work) => {
      const on = await waitForModel(timeoutMs);
      if (on === undefined) {
        throw new BrokerUnavailable({
          reason: isClosed() ? 'connection closed' : `no connection within ${timeoutMs} ms`,
          retryable: !isClosed(),
        });
      }
      const channel = await on.createChannel();
      channel.on('error', noop);
      try {
        return await work(channel);
      } finally {
        await channel.close().catch(noop);
      }
    },

    close: async () => {
      if (state === 'closed') return;
      setState('closed');
      settleStart(new BrokerUnavailable({ reason: 'connection closed during start', retryable: true }));
      handOutModel(undefined);
      if (retryTimer !== undefined) {
        clearTimeout(retryTimer.timer);
        retryTimer.wake();
        retryTimer = undefined;
      }
      await Promise.all([...channels].map((channel) => channel.close()));
      const current = model;
      model = undefined;
      if (current !== undefined) await current.close().catch(noop);
      await connecting?.catch(noop);
    },
  };
};
