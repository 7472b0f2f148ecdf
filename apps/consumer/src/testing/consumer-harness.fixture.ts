// A whole consumer for integration specs (and later fault tests and the
// benchmark): a fresh PostgreSQL database, the DVS simulator's HTTP server,
// a topology prefix of its own on the real RabbitMQ (with a queue bound to
// every event), a funded account (with a callback signing secret), and the consumer app started in-process
// with its logs captured. `close` stops the app and removes all of it.
import type { ConsumeMessage, Options } from 'amqplib';
import { fundAccount } from '@airtime/application/testing';
import { topologyFor, type Topology } from '@airtime/messaging-rabbitmq';
import {
  deleteTopology,
  openRawBroker,
  type RawBroker,
  testAmqpUrl,
  uniqueTopologyPrefix,
} from '@airtime/messaging-rabbitmq/testing';
import { ledgerStoreLayer, setCallbackSigningSecret } from '@airtime/persistence-postgres';
import { makeRecordingLogger } from '@airtime/platform-runtime/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import {
  type DvsSimulatorOptions,
  type DvsSimulatorTestServer,
  startDvsSimulatorServer,
} from '@airtime/provider-simulator/testing';
import { Effect, Either } from 'effect';
import { consumerConfigFrom } from '../config/consumer.config';
import { type ConsumerApp, startConsumerApp } from '../consumer-app.runner';
import { type ConsumerMetrics, makeConsumerMetrics } from '../observability/consumer-metrics';

export interface ConsumerHarnessOptions {
  /** Label of the topology prefix (`test-<label>-<random>`). */
  readonly label: string;
  /** Environment of the consumer, over the harness's own (database, broker, simulator, metrics on a free port). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly simulator?: DvsSimulatorOptions | undefined;
  /** The account funded in USD before the consumer starts (default `acme`, USD 100,000.00). */
  readonly accountId?: string | undefined;
  readonly fundedMinor?: bigint | undefined;
  /**
   * Whether the account gets a callback signing secret (`HARNESS_CALLBACK_SECRET`), as an operator
   * makes one before its callers name callback URLs (commands with one are refused without it).
   * Default true.
   */
  readonly callbackSecret?: boolean | undefined;
}

/** The callback signing secret the harness gives its account (unless `callbackSecret: false`). */
export const HARNESS_CALLBACK_SECRET = 'the-consumer-harness-callback-secret-0123456789';

export interface CommandMessage {
  readonly body: string | Buffer;
  /** Omitted: the message has no message id. */
  readonly messageId?: string | undefined;
  /**
   * Properties over the harness's own (persistent, `contentType: application/json`); a property
   * given as `undefined` is left out of the message (e.g. `{ contentType: undefined }`).
   */
  readonly properties?: { readonly [K in keyof Options.Publish]?: Options.Publish[K] | undefined } | undefined;
}

export interface ConsumerHarness {
  readonly app: ConsumerApp;
  readonly db: TestDatabase;
  readonly simulator: DvsSimulatorTestServer;
  readonly topology: Topology;
  readonly broker: RawBroker;
  readonly metrics: ConsumerMetrics;
  /** The queue bound to every event of the topology (`#`). */
  readonly eventsQueue: string;
  /** Every event received on `eventsQueue` so far, in arrival order. */
  readonly events: () => readonly ConsumeMessage[];
  readonly accountId: string;
  readonly fundedMinor: bigint;
  /** Every log line of the consumer, parsed. */
  readonly logs: () => readonly Record<string, unknown>[];
  /** Publishes to the commands exchange with confirms (persistent, JSON). */
  readonly publish: (messages: readonly CommandMessage[]) => Promise<void>;
  readonly query: <T = Record<string, unknown>>(text: string, parameters?: readonly unknown[]) => Promise<T[]>;
  /** Stops the consumer, deletes the topology and the events queue, drops the database, stops the simulator. */
  readonly close: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
export const waitUntil = async (
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  pollMs = 100,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
};

export const startConsumerHarness = async (options: ConsumerHarnessOptions): Promise<ConsumerHarness> => {
  const accountId = options.accountId ?? 'acme';
  const fundedMinor = options.fundedMinor ?? 10_000_000n;
  const [db, simulator, broker] = await Promise.all([
    createTestDatabase(),
    startDvsSimulatorServer(options.simulator),
    openRawBroker(),
  ]);
  const topology = topologyFor(uniqueTopologyPrefix(options.label));
  const eventsQueue = `${topology.prefix}.test-events`;
  const { logger, lines } = makeRecordingLogger('info');
  const metrics = makeConsumerMetrics({ processMetrics: false });
  const events: ConsumeMessage[] = [];
  const cleanUp = async () => {
    await broker.close();
    await deleteTopology(topology, [eventsQueue]);
    await Promise.all([db.drop(), simulator.close()]);
  };
  let app: ConsumerApp;
  try {
    await Effect.runPromise(
      Effect.provide(fundAccount(accountId, 'USD', fundedMinor), ledgerStoreLayer(db.dataSource)),
    );
    if (options.callbackSecret !== false)
      await Effect.runPromise(setCallbackSigningSecret(db.dataSource, accountId, HARNESS_CALLBACK_SECRET));
    const config = Either.getOrThrow(
      consumerConfigFrom({
        DATABASE_URL: db.config.url,
        AMQP_URL: testAmqpUrl(),
        AMQP_TOPOLOGY_PREFIX: topology.prefix,
        METRICS_PORT: '0',
        PROVIDER: 'simulator-http',
        DTONE_BASE_URL: simulator.baseUrl,
        DTONE_API_KEY: simulator.apiKey,
        DTONE_API_SECRET: simulator.apiSecret,
        SCHEDULER_INTERVAL_MS: '100',
        CONSUMER_RETRY_DELAY_MS: '50',
        ...options.env,
      }),
    );
    app = await startConsumerApp({ config, logger, metrics });
    await broker.channel.assertQueue(eventsQueue, { durable: false });
    await broker.channel.bindQueue(eventsQueue, topology.exchanges.events.name, '#');
    await broker.channel.consume(eventsQueue, (message) => void (message === null || events.push(message)), {
      noAck: true,
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    app,
    db,
    simulator,
    topology,
    broker,
    metrics,
    eventsQueue,
    events: () => events,
    accountId,
    fundedMinor,
    logs: () => lines,
    publish: async (messages) => {
      const channel = await broker.connection.createConfirmChannel();
      try {
        for (const message of messages) {
          channel.publish(
            topology.exchanges.commands.name,
            topology.routingKeys.topUpRequest,
            typeof message.body === 'string' ? Buffer.from(message.body, 'utf8') : message.body,
            {
              persistent: true,
              contentType: 'application/json',
              // amqplib leaves out a property given as undefined
              ...(message.properties as Options.Publish | undefined),
              ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
            },
          );
        }
        await channel.waitForConfirms();
      } finally {
        await channel.close().catch(() => undefined);
      }
    },
    query: (text, parameters = []) => db.dataSource.query(text, [...parameters]),
    close: async () => {
      await app.stop();
      await cleanUp();
    },
  };
};
