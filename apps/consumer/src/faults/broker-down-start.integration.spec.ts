// A consumer started while RabbitMQ is down (nothing listens on AMQP_URL's
// port): it waits AMQP_START_TIMEOUT_MS for the broker, then exits 1 with
// one line naming AMQP_URL (its password masked) and the reason, never a
// stack trace, rather than logging a reconnect warning for ever, never
// ready and never failing. (A consumer that loses the broker after its start
// keeps reconnecting: broker-restart.integration.spec.ts.)
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { createServer, type AddressInfo } from 'node:net';
import {
  bundledConsumerEntry,
  type ConsumerEntry,
  killStartedConsumers,
  startConsumerProcess,
} from './consumer-process.fixture';

/** A port nothing listens on (taken from the system, then released). */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('a consumer started while RabbitMQ is down', () => {
  let entry: ConsumerEntry;
  let db: TestDatabase;

  beforeAll(async () => {
    [entry, db] = await Promise.all([bundledConsumerEntry(), createTestDatabase({ poolSize: 2 })]);
  }, 180_000);

  afterAll(async () => {
    await killStartedConsumers();
    await db?.drop();
    entry?.dispose();
  }, 60_000);

  it('exits 1 once AMQP_START_TIMEOUT_MS has passed, with one line naming AMQP_URL, the password masked', async () => {
    const port = await closedPort();
    const consumer = startConsumerProcess({
      entry,
      name: 'broker down',
      env: {
        DATABASE_URL: db.config.url,
        DATABASE_POOL_SIZE: '2',
        AMQP_URL: `amqp://guest:hunter2-secret@127.0.0.1:${port}`,
        AMQP_START_TIMEOUT_MS: '1000',
        PROVIDER: 'simulator-http',
        DTONE_BASE_URL: 'http://127.0.0.1:9',
        DTONE_API_KEY: 'key',
        DTONE_API_SECRET: 'secret',
        METRICS_PORT: '0',
      },
    });
    expect(await consumer.exited).toEqual({ code: 1, signal: null });
    const failures = consumer.lines().filter((line) => !line.startsWith('{'));
    expect(failures).toEqual([
      `consumer: failed to start: cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:${port} (AMQP_URL) within 1 s ` +
        '(AMQP_START_TIMEOUT_MS): ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)',
    ]);
    expect(consumer.lines().join('\n')).not.toContain('hunter2');
  }, 120_000);

  it('refuses an AMQP_START_TIMEOUT_MS that is not a number of milliseconds, naming it', async () => {
    const consumer = startConsumerProcess({
      entry,
      name: 'bad start timeout',
      env: {
        DATABASE_URL: db.config.url,
        AMQP_URL: 'amqp://guest:hunter2-secret@127.0.0.1:9',
        AMQP_START_TIMEOUT_MS: 'forever',
        PROVIDER: 'simulator-http',
        DTONE_BASE_URL: 'http://127.0.0.1:9',
        DTONE_API_KEY: 'key',
        DTONE_API_SECRET: 'secret',
      },
    });
    expect(await consumer.exited).toEqual({ code: 1, signal: null });
    expect(consumer.lines()).toContainEqual(expect.stringMatching(/^ {2}AMQP_START_TIMEOUT_MS: /));
    expect(consumer.lines().join('\n')).not.toContain('forever');
  }, 60_000);
});
