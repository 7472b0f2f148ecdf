// npm start with AMQP_URL naming a broker that is down: it stops with one
// line naming AMQP_URL (its password masked) once START_BROKER_TIMEOUT_MS
// has passed, exit 1, before it writes anything to the database (here not
// even migrated), rather than an API reconnecting for ever, never ready.
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { freePort, runStart, startEnvironment } from './platform-process.fixture';

let database: TestDatabase | undefined;

afterAll(async () => {
  await database?.drop();
}, 60_000);

it('stops with one line naming AMQP_URL, the password masked, when RabbitMQ cannot be reached', async () => {
  database = await createTestDatabase({ migrate: false });
  const brokerPort = await freePort();
  const running = runStart({
    ...startEnvironment({
      API_PORT: String(await freePort()),
      SIMULATOR_PORT: String(await freePort()),
      START_BROKER_TIMEOUT_MS: '1000',
      START_DATA_DIR: '/nonexistent/never-used',
    }),
    DATABASE_URL: database.config.url,
    AMQP_URL: `amqp://guest:hunter2-secret@127.0.0.1:${brokerPort}`,
  });
  expect(await running.exited).toBe(1);
  expect(running.output()).toBe(
    `[start] cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:${brokerPort} (AMQP_URL) within 1 s ` +
      '(START_BROKER_TIMEOUT_MS): ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)\n',
  );
  const [tables] = (await database.dataSource.query(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
  )) as { n: number }[];
  expect(tables).toEqual({ n: 0 });
}, 120_000);
