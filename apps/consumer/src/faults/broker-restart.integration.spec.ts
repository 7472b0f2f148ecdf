// RabbitMQ stopped in the middle of a run and started again: the consumer
// (a real process) and its outbox relay reconnect and finish. Every top-up
// ends final, none is lost or sent twice, and every event written to the
// outbox reaches a queue bound to the events exchange (by event id: none
// missing). The broker is a node of this spec's own (own ports and data
// folder), so that specs running at the same time keep the shared one.
import { startOwnBrokerNode, type OwnBrokerNode, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import {
  bundledConsumerEntry,
  type ConsumerEntry,
  killStartedConsumers,
  pause,
  startConsumerProcess,
} from './consumer-process.fixture';
import { flowViolations } from './top-up-flow.queries';
import { faultSpecConsumerEnv, openTopUpWorld, topUpCommandBatch, type TopUpWorld } from './top-up-world.fixture';

const BEFORE_STOP = 80;
const AFTER_START = 40;
const ACCOUNT = 'broker-restart';

const waitFor = async (what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await pause(100);
  }
};

describe('RabbitMQ stopped and started again during a run', () => {
  let entry: ConsumerEntry;
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  let node: OwnBrokerNode;
  let world: TopUpWorld;

  beforeAll(async () => {
    [entry, db, simulator, node] = await Promise.all([
      bundledConsumerEntry(),
      createTestDatabase({ poolSize: 4 }),
      startDvsSimulatorServer(),
      startOwnBrokerNode(),
    ]);
    world = await openTopUpWorld({
      database: { url: db.config.url, dataSource: db.dataSource },
      amqpUrl: node.url,
      topologyPrefix: uniqueTopologyPrefix('broker-restart'),
    });
  }, 180_000);

  afterAll(async () => {
    await killStartedConsumers();
    await world?.close();
    await node?.dispose();
    await simulator?.close();
    await db?.drop();
    entry?.dispose();
  }, 120_000);

  it('the consumer and the relay reconnect: every top-up final, every event published', async () => {
    const eventsQueue = await world.bindEventsQueue();
    await world.fund(ACCOUNT, 'USD', '100000');
    const commands = topUpCommandBatch({
      accountId: ACCOUNT,
      prefix: 'restart',
      count: BEFORE_STOP + AFTER_START,
      suffixOf: (index) => (index % 7 === 3 ? '102' : '100'),
    });
    const consumer = startConsumerProcess({
      entry,
      name: 'broker restart',
      env: faultSpecConsumerEnv(world, simulator, {
        AMQP_CONFIRM_TIMEOUT_MS: '2000',
        AMQP_HEARTBEAT_SECONDS: '2',
        AMQP_RECONNECT_MIN_DELAY_MS: '100',
        AMQP_RECONNECT_MAX_DELAY_MS: '500',
      }),
      keepLines: 5_000,
    });
    await consumer.ready;
    await world.publish(commands.slice(0, BEFORE_STOP));

    // mid-run: some top-ups made and their events relayed, most of the batch still to do
    const counts = async (): Promise<{ nonFinal: number; sent: number; unsent: number }> => {
      const [row] = (await db.dataSource.query(
        `SELECT (SELECT count(*) FROM top_ups WHERE status_class NOT IN ('COMPLETED', 'DECLINED'))::int AS non_final,
                (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL)::int AS sent,
                (SELECT count(*) FROM outbox WHERE sent_at IS NULL)::int AS unsent`,
      )) as { non_final: number; sent: number; unsent: number }[];
      return { nonFinal: row?.non_final ?? 0, sent: row?.sent ?? 0, unsent: row?.unsent ?? 0 };
    };
    await waitFor('events relayed before the stop', async () => (await counts()).sent >= 10, 30_000);
    await node.stop();
    const atStop = await counts();
    // down for a while: the consumer keeps working on what it holds; the relay's publishes fail
    await pause(2_000);
    expect(consumer.hasExited()).toBe(false);
    await node.start();
    const startedAt = new Date();
    await world.publish(commands.slice(BEFORE_STOP));

    const final = await world.waitForFinal(ACCOUNT, commands.length, 150_000);
    await waitFor('every event relayed', async () => (await counts()).unsent === 0, 30_000);
    const outbox = (await db.dataSource.query('SELECT id, sent_at FROM outbox')) as { id: string; sent_at: Date }[];
    const received = await world.drainQueue(eventsQueue);
    const receivedIds = new Set(received.map((message) => message.messageId));
    const violations = await flowViolations(
      db.dataSource,
      ACCOUNT,
      commands.map((message) => (message.command as { external_id: string }).external_id),
      simulator.engine.transactions({ fromMs: 0 }),
    );
    const reconnects = consumer.records('amqp connection state changed');
    const aliveAtEnd = !consumer.hasExited();
    await consumer.stop(10_000);

    expect(final.done).toBe(true);
    expect(violations).toEqual({ lost: [], sentTwice: [], resentBlindly: [], ledger: [] });
    expect(await world.deadLetterCount()).toBe(0);
    // the stop came in the middle: top-ups unfinished then, events relayed before it and after the broker came back
    expect(atStop.nonFinal).toBeGreaterThan(0);
    expect(outbox.filter((event) => event.sent_at < startedAt).length).toBeGreaterThan(0);
    expect(outbox.filter((event) => event.sent_at >= startedAt).length).toBeGreaterThan(0);
    // every event of the outbox reached the queue (at least once), by its id
    expect(outbox.filter((event) => !receivedIds.has(event.id)).map((event) => event.id)).toEqual([]);
    expect(receivedIds.size).toBe(outbox.length);
    // the process never died: it reconnected
    expect(aliveAtEnd).toBe(true);
    expect(reconnects.some((record) => record['to'] === 'reconnecting')).toBe(true);
  }, 240_000);
});
