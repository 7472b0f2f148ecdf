// The world a fault spec or the consumer benchmark runs the consumer in: a
// migrated database of its own (handed in: the spec makes it), a topology
// under its own prefix on a RabbitMQ broker, funded accounts, a confirm
// publisher of top-up commands, the consumer's environment, and waits on
// the database until every top-up of a batch is final.
import { currencyOf, type ExternalId, providerExternalIdFor } from '@airtime/domain';
import {
  type BrokerConnection,
  type ConfirmPublisher,
  declareTopology,
  makeBrokerConnection,
  makeConfirmPublisher,
  publishTopUpCommands,
  type PublishTopUpCommandsReport,
  type Topology,
  topologyFor,
  type TopUpCommandToPublish,
} from '@airtime/messaging-rabbitmq';
import { makeLedgerStore } from '@airtime/persistence-postgres';
import { Effect, Either } from 'effect';
import type { DataSource } from 'typeorm';
import { pause } from './consumer-process.fixture';

/** The statuses a top-up does not leave (but COMPLETED -> REVERSED, which no test here does). */
export const FINAL_STATUS_CLASSES = ['COMPLETED', 'REVERSED', 'REJECTED', 'CANCELLED', 'DECLINED'] as const;

export interface WorldDatabase {
  /** The URL the consumer gets as DATABASE_URL. */
  readonly url: string;
  readonly dataSource: DataSource;
}

export interface TopUpWorldOptions {
  readonly database: WorldDatabase;
  readonly amqpUrl: string;
  readonly topologyPrefix: string;
}

export interface TopUpWorld {
  readonly database: WorldDatabase;
  readonly topology: Topology;
  readonly amqpUrl: string;
  readonly connection: BrokerConnection;
  readonly publisher: ConfirmPublisher;
  /** Opens `accountId` in `currency` and deposits `amount` (major units, e.g. "1000000"). */
  readonly fund: (accountId: string, currency: string, amount: string) => Promise<void>;
  /** Publishes with confirms; fails the caller when any command was refused or not confirmed. */
  readonly publish: (commands: readonly TopUpCommandToPublish[]) => Promise<PublishTopUpCommandsReport>;
  /** The consumer's environment for this world (database, broker, topology), plus `extra`. */
  readonly consumerEnv: (extra?: Readonly<Record<string, string>>) => Record<string, string>;
  /** Top-ups of `accountId` by status class. */
  readonly statusCounts: (accountId: string) => Promise<Readonly<Record<string, number>>>;
  /**
   * Waits until `accountId` has `expected` top-ups, all final; resolves with
   * the counts then, or with the counts at the deadline.
   */
  readonly waitForFinal: (
    accountId: string,
    expected: number,
    timeoutMs: number,
  ) => Promise<{ readonly done: boolean; readonly counts: Readonly<Record<string, number>> }>;
  /** Messages in the dead-letter queue now. */
  readonly deadLetterCount: () => Promise<number>;
  /** Declares a durable queue bound to every event of the topology (`#`); its name. */
  readonly bindEventsQueue: () => Promise<string>;
  /** Reads and acks every message in `queue` now; their message ids and routing keys. */
  readonly drainQueue: (queue: string) => Promise<readonly { messageId: string; routingKey: string }[]>;
  /** Deletes the topology and the queues `bindEventsQueue` made, then closes the connection. */
  readonly close: () => Promise<void>;
}

const toMinor = (amount: string, currencyCode: string): bigint => {
  const currency = Either.getOrThrow(currencyOf(currencyCode));
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole + fraction.padEnd(currency.exponent, '0').slice(0, currency.exponent));
};

export const openTopUpWorld = async (options: TopUpWorldOptions): Promise<TopUpWorld> => {
  const topology = topologyFor(options.topologyPrefix);
  const connection = makeBrokerConnection({
    url: options.amqpUrl,
    connectionName: `airtime-faults-${options.topologyPrefix}`,
    connectTimeoutMs: 10_000,
    heartbeatSeconds: 15,
    reconnectMinDelayMs: 100,
    reconnectMaxDelayMs: 1_000,
  });
  await Effect.runPromise(connection.start);
  await Effect.runPromise(declareTopology(connection, topology, 10_000));
  const publisher = makeConfirmPublisher({ connection, confirmTimeoutMs: 15_000, name: 'world-commands' });
  const { dataSource } = options.database;
  const ledger = makeLedgerStore(dataSource);
  const extraQueues: string[] = [];

  const statusCounts = async (accountId: string): Promise<Record<string, number>> => {
    const rows = (await dataSource.query(
      'SELECT status_class, count(*)::int AS n FROM top_ups WHERE account_id = $1 GROUP BY status_class',
      [accountId],
    )) as { status_class: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status_class, row.n]));
  };

  return {
    database: options.database,
    topology,
    amqpUrl: options.amqpUrl,
    connection,
    publisher,
    fund: async (accountId, currencyCode, amount) => {
      const currency = Either.getOrThrow(currencyOf(currencyCode));
      await Effect.runPromise(ledger.openAccount({ accountId, currency, creditLimitMinor: 0n }));
      await Effect.runPromise(
        ledger.deposit({
          accountId,
          currency,
          depositId: `fund-${accountId}-${currencyCode}`,
          amountMinor: toMinor(amount, currencyCode),
        }),
      );
    },
    publish: async (commands) => {
      const report = await Effect.runPromise(publishTopUpCommands(publisher, topology, commands, { concurrency: 500 }));
      if (report.invalid.length > 0 || report.failed.length > 0) {
        throw new Error(
          `publish: ${report.invalid.length} invalid, ${report.failed.length} unconfirmed: ${JSON.stringify([
            ...report.invalid.slice(0, 3),
            ...report.failed.slice(0, 3),
          ])}`,
        );
      }
      return report;
    },
    consumerEnv: (extra = {}) => ({
      DATABASE_URL: options.database.url,
      AMQP_URL: options.amqpUrl,
      AMQP_TOPOLOGY_PREFIX: options.topologyPrefix,
      METRICS_PORT: '0',
      ...extra,
    }),
    statusCounts,
    waitForFinal: async (accountId, expected, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await statusCounts(accountId);
        const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
        const final = FINAL_STATUS_CLASSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
        if (total >= expected && final === total) return { done: true, counts };
        if (Date.now() > deadline) return { done: false, counts };
        await pause(100);
      }
    },
    deadLetterCount: () =>
      connection.withChannel(10_000, async (channel) => {
        const { messageCount } = await channel.checkQueue(topology.queues.deadLetters.name);
        return messageCount;
      }),
    bindEventsQueue: async () => {
      const queue = `${topology.prefix}.all-events`;
      await connection.withChannel(10_000, async (channel) => {
        await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
        await channel.bindQueue(queue, topology.exchanges.events.name, '#');
      });
      extraQueues.push(queue);
      return queue;
    },
    drainQueue: (queue) =>
      connection.withChannel(30_000, async (channel) => {
        const read: { messageId: string; routingKey: string }[] = [];
        for (;;) {
          const message = await channel.get(queue, { noAck: true });
          if (message === false) return read;
          read.push({ messageId: String(message.properties.messageId), routingKey: message.fields.routingKey });
        }
      }),
    close: async () => {
      await publisher.close();
      for (const queue of [...extraQueues, ...Object.values(topology.queues).map((q) => q.name)]) {
        await connection.withChannel(10_000, (channel) => channel.deleteQueue(queue)).catch(() => undefined);
      }
      for (const exchange of Object.values(topology.exchanges)) {
        await connection.withChannel(10_000, (channel) => channel.deleteExchange(exchange.name)).catch(() => undefined);
      }
      await connection.close();
    },
  };
};

/** Where the DT One adapter of the consumer finds the DVS simulator (its test server's fields). */
export interface SimulatorAddress {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

/**
 * The consumer's settings in the fault specs: the DVS simulator over HTTP,
 * a scheduler that ticks every 100 ms, and stalled top-ups recovered after
 * 1 s (real). A send gives up (outcome unknown) before a top-up counts as
 * stalled, so a recovery never asks about a send still on its way.
 */
export const faultSpecConsumerEnv = (
  world: Pick<TopUpWorld, 'consumerEnv'>,
  simulator: SimulatorAddress,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> =>
  world.consumerEnv({
    PROVIDER: 'simulator-http',
    DTONE_BASE_URL: simulator.baseUrl,
    DTONE_API_KEY: simulator.apiKey,
    DTONE_API_SECRET: simulator.apiSecret,
    DTONE_TIMEOUT_MS: '800',
    DATABASE_POOL_SIZE: '6',
    SCHEDULER_INTERVAL_MS: '100',
    STALLED_AFTER_MS: '1000',
    CONSUMER_RETRY_DELAY_MS: '100',
    AMQP_SHUTDOWN_TIMEOUT_MS: '5000',
    AMQP_RECONNECT_MAX_DELAY_MS: '1000',
    ...extra,
  });

/**
 * Time `scale` times faster for the use cases (the retry schedule's minutes
 * pass in seconds) on one timeline for every process of a spec: scaled time
 * runs from `originMs`, so a restarted or a second consumer agrees on "now".
 * A top-up counts as stalled after 1 s (real) still.
 */
export const scaledClockEnv = (originMs: number, scale = 60): Record<string, string> => ({
  CLOCK_SCALE: String(scale),
  CLOCK_ORIGIN_MS: String(originMs),
  STALLED_AFTER_MS: String(1_000 * scale),
});

/** What a command's phone number makes the DVS sandbox do (its last three digits). */
export type SandboxSuffix =
  | '100' // completed (3 s, simulated)
  | '102' // declined: invalid credit party (not retryable)
  | '104'; // declined: operator currently unavailable (retryable)

export interface CommandBatchOptions {
  readonly accountId: string;
  /** External ids are `${prefix}-${index}`. */
  readonly prefix: string;
  readonly count: number;
  /** The sandbox suffix of command `index` (default: every one completes). */
  readonly suffixOf?: ((index: number) => SandboxSuffix) | undefined;
}

/**
 * Top-up commands (schema v1 fields) of PHP 25 to Globe numbers
 * (`+63917NNNN` + suffix), each with its own message id
 * (`${prefix}-${index}`), in the size of a typical producer's command.
 */
export const topUpCommandBatch = (options: CommandBatchOptions): TopUpCommandToPublish[] =>
  Array.from({ length: options.count }, (_, index) => ({
    messageId: `${options.prefix}-${index}`,
    command: {
      external_id: `${options.prefix}-${index}`,
      account_id: options.accountId,
      phone_number: `+63917${String(index % 10_000).padStart(4, '0')}${options.suffixOf?.(index) ?? '100'}`,
      currency: 'PHP',
      max_amount: '25',
      metadata: { batch: options.prefix, index },
    },
  }));

/** The provider external ids attempts 1..`attempts` of a command get (to find its sends at the provider). */
export const providerExternalIdsOf = (accountId: string, externalId: string, attempts = 20): readonly string[] =>
  Array.from({ length: attempts }, (_, i) => providerExternalIdFor(accountId, externalId as ExternalId, i + 1));
