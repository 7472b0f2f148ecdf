// npm start on the user's PostgreSQL and RabbitMQ: with DATABASE_URL (a
// database of this file's own, not migrated yet) and AMQP_URL (a topology
// prefix of its own) it starts no embedded PostgreSQL, migrates that
// database, runs the API's workers on RabbitMQ, and its demo top-up reaches
// COMPLETED; SIGTERM stops it with exit code 0, the account funded once.
import { topologyFor } from '@airtime/messaging-rabbitmq';
import { deleteTopology, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import {
  freePort,
  type RunningStart,
  runStart,
  startEnvironment,
  stopStart,
  waitFor,
} from './platform-process.fixture';

const prefix = uniqueTopologyPrefix('start');
let database: TestDatabase;
let started: RunningStart | undefined;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
}, 60_000);

afterAll(async () => {
  if (started !== undefined) await stopStart(started);
  await Promise.all([database?.drop(), deleteTopology(topologyFor(prefix))]);
}, 60_000);

it('runs on DATABASE_URL and AMQP_URL: migrates, completes the demo top-up over RabbitMQ, stops', async () => {
  const [apiPort, simulatorPort] = [await freePort(), await freePort()];
  const running = runStart({
    ...startEnvironment({
      API_PORT: String(apiPort),
      SIMULATOR_PORT: String(simulatorPort),
      AMQP_TOPOLOGY_PREFIX: prefix,
      START_DATA_DIR: '/nonexistent/never-used',
    }),
    DATABASE_URL: database.config.url,
    AMQP_URL: testAmqpUrl(),
  });
  started = running;
  try {
    await waitFor(running, /demo top-up COMPLETED .* after npm start began/, 180_000);
    const output = running.output();
    expect(output).toMatch(/\[start\] database postgres:\/\/\S+: \d+ migrations applied/);
    expect(output).toContain('  messaging       RabbitMQ (AMQP_URL), the workers in the API process\n');
    expect(output).toMatch(/^ {2}database {8}PostgreSQL postgres:\/\/\S+$/m);
    expect(output).not.toMatch(/embedded PostgreSQL/);
    const password = new URL(database.config.url).password;
    if (password !== '') expect(output).not.toContain(password);
  } finally {
    started = undefined;
    expect(await stopStart(running)).toBe(0);
  }
  expect(running.output()).toContain('[start] API stopped (exit code 0); simulator stopped\n');
  const deposits = (await database.dataSource.query(
    `SELECT count(*)::int AS n FROM ledger_journal WHERE account_id = 'demo' AND kind = 'DEPOSIT'`,
  )) as { n: number }[];
  expect(deposits).toEqual([{ n: 1 }]);
}, 300_000);
