// Three consumer processes on one queue end with the same totals as one,
// and nothing is sent twice: the same batch (commands to numbers the
// sandbox completes or declines, and repeats of some under new message ids)
// is run once through one consumer and once through three competing ones,
// each batch on its own queue and account. Real PostgreSQL and RabbitMQ, the
// DVS simulator over HTTP; the consumers are real processes.
import { testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { seededRandom } from '@airtime/provider-simulator';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import {
  between,
  bundledConsumerEntry,
  type ConsumerEntry,
  type ConsumerProcess,
  killStartedConsumers,
  startConsumerProcess,
} from './consumer-process.fixture';
import { flowViolations } from './top-up-flow.queries';
import { faultSpecConsumerEnv, openTopUpWorld, topUpCommandBatch, type TopUpWorld } from './top-up-world.fixture';

const COMMANDS = 150;
const REPEATS = 15;

/** Commands one process finished with (its /metrics: every outcome but "retried", which comes back). */
const commandsHandled = async (consumer: ConsumerProcess): Promise<number> => {
  const url = await consumer.ready;
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^airtime_consumer_commands_total\{([^}]*)\} (\d+)$/gm)]
    .filter((match) => !(match[1] ?? '').includes('outcome="retried"'))
    .reduce((sum, match) => sum + Number(match[2]), 0);
};

interface BatchOutcome {
  readonly counts: Readonly<Record<string, number>>;
  readonly allFinal: boolean;
  readonly handledPerProcess: readonly number[];
  readonly violations: Awaited<ReturnType<typeof flowViolations>> & { readonly deadLettered: number };
}

describe('three consumer processes on one queue', () => {
  let entry: ConsumerEntry;
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  const worlds: TopUpWorld[] = [];

  beforeAll(async () => {
    entry = await bundledConsumerEntry();
    db = await createTestDatabase({ poolSize: 4 });
    simulator = await startDvsSimulatorServer();
    simulator.setBalance('USD', { available: '10000000' });
  }, 60_000);

  afterAll(async () => {
    await killStartedConsumers();
    for (const world of worlds) await world.close();
    await simulator?.close();
    await db?.drop();
    entry?.dispose();
  }, 60_000);

  /** Runs the batch through `processes` consumers on a queue and an account of its own. */
  const runBatch = async (label: string, processes: number): Promise<BatchOutcome> => {
    const world = await openTopUpWorld({
      database: { url: db.config.url, dataSource: db.dataSource },
      amqpUrl: testAmqpUrl(),
      topologyPrefix: uniqueTopologyPrefix(`three-consumers-${label}`),
    });
    worlds.push(world);
    const accountId = `three-${label}`;
    await world.fund(accountId, 'USD', '100000');
    // the same seed for both batches: the same numbers, the same repeats (ids of their own: the inbox is shared)
    const random = seededRandom(2_024);
    const commands = topUpCommandBatch({
      accountId,
      prefix: label,
      count: COMMANDS - REPEATS,
      suffixOf: () => (random() < 0.8 ? '100' : '102'),
    });
    const repeats = Array.from({ length: REPEATS }, (_, index) => ({
      ...commands[between(random, 0, commands.length - 1)],
      messageId: `${label}-repeat-${index}`,
    }));
    const consumers = Array.from({ length: processes }, (_, index) =>
      startConsumerProcess({
        entry,
        name: `${label} consumer ${index + 1}`,
        env: faultSpecConsumerEnv(world, simulator, { AMQP_PREFETCH: '20' }),
      }),
    );
    await Promise.all(consumers.map((consumer) => consumer.ready));
    await world.publish(
      [...commands, ...repeats].map((message) => ({ command: message.command, messageId: message.messageId })),
    );
    const final = await world.waitForFinal(accountId, commands.length, 150_000);
    const handledPerProcess = await Promise.all(consumers.map(commandsHandled));
    await Promise.all(consumers.map((consumer) => consumer.stop(10_000)));
    const violations = await flowViolations(
      db.dataSource,
      accountId,
      commands.map((message) => (message.command as { external_id: string }).external_id),
      simulator.engine.transactions({ fromMs: 0 }),
    );
    return {
      counts: final.counts,
      allFinal: final.done,
      handledPerProcess,
      violations: { ...violations, deadLettered: await world.deadLetterCount() },
    };
  };

  it('end with the totals of one consumer, every command handled once, nothing sent twice', async () => {
    const one = await runBatch('one', 1);
    const three = await runBatch('three', 3);

    const clean = { lost: [], sentTwice: [], resentBlindly: [], ledger: [], deadLettered: 0 };
    expect(one.violations).toEqual(clean);
    expect(three.violations).toEqual(clean);
    expect(one.allFinal).toBe(true);
    expect(three.allFinal).toBe(true);
    expect(three.counts).toEqual(one.counts);
    expect(Object.values(one.counts).reduce((sum, n) => sum + n, 0)).toBe(COMMANDS - REPEATS);
    // every message handled once (a redelivery would count twice), and by more than one process
    expect(one.handledPerProcess).toEqual([COMMANDS]);
    expect(three.handledPerProcess.reduce((sum, n) => sum + n, 0)).toBe(COMMANDS);
    expect(three.handledPerProcess.filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 300_000);
});
