// The API's graceful shutdown over real HTTP: stopping lets a request in
// flight finish with its answer, then refuses new connections and closes
// everything (database, broker). And a provider outage is a 503 in the
// API's shape, not a 500. A start on a port in use fails naming API_PORT,
// before it touches the database or the broker.
import { topologyFor } from '@airtime/messaging-rabbitmq';
import { deleteTopology, openRawBroker, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase } from '@airtime/persistence-postgres/testing';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { Either } from 'effect';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { startApiApp } from './api-app.runner';
import { apiConfigFrom } from './config/api.config';
import { startApiHarness, type ApiHarness } from './testing/api-harness.fixture';
import { TOKENS } from './composition/tokens';

describe('the API app', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    // a shutdown timeout far beyond a loaded machine's stop: a stop that ended before it did not wait for it
    api = await startApiHarness({ label: 'api-app', environment: { API_SHUTDOWN_TIMEOUT_MS: '60000' } });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers a provider outage 503 PROVIDER_UNAVAILABLE (nothing sent, nothing held)', async () => {
    api.simulator.setFaults({ errorRate: 1 });
    try {
      const answer = await api.request('POST', '/v1/quotes', {
        key,
        body: { phone_number: '+254711000100', currency: 'KES', max_amount: '100' },
      });
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        error: { code: 'PROVIDER_UNAVAILABLE', message: 'the provider is unavailable or busy now; try again later' },
      });
    } finally {
      api.simulator.clearFaults();
    }
  });

  it('on stop finishes the request in flight, then refuses new ones and closes its resources', async () => {
    api.simulator.setFaults({ latencyMs: 600 });
    // every DVS request the simulator takes is drawn for a failure before its latency: once one is, the quote
    // is in flight in the API (waiting for the provider's answer), whatever the time it took to get there
    const providerRequests = jest.spyOn(api.simulator.engine, 'drawFailure');
    const inFlight = api.request('POST', '/v1/quotes', {
      key,
      body: { phone_number: '+639171234100', currency: 'PHP', max_amount: '25' },
    });
    for (const deadline = Date.now() + 30_000; providerRequests.mock.calls.length === 0;) {
      if (Date.now() > deadline) throw new Error('the quote never reached the provider');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    providerRequests.mockRestore();
    const dataSource = await api.app.container.getAsync(TOKENS.dataSource);
    const started = Date.now();
    const stopped = api.app.stop();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await stopped).toEqual([]);
    // the keep-alive connection of the finished request does not hold the close until the shutdown timeout
    expect(Date.now() - started).toBeLessThan(api.config.http.shutdownTimeoutMs);
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
    expect(dataSource.isInitialized).toBe(false);
  });
});

describe("the API app's start", () => {
  it('fails on a port in use naming API_PORT, before it opens (or migrates) the database or declares the topology', async () => {
    const occupied = await new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    const { port } = occupied.address() as AddressInfo;
    const [fresh, broker] = await Promise.all([createTestDatabase({ migrate: false }), openRawBroker()]);
    const topology = topologyFor(uniqueTopologyPrefix('api-port'));
    try {
      const config = Either.getOrThrow(
        apiConfigFrom({
          DATABASE_URL: fresh.config.url,
          DATABASE_MIGRATE_ON_START: 'true',
          AMQP_URL: testAmqpUrl(),
          AMQP_TOPOLOGY_PREFIX: topology.prefix,
          API_PORT: String(port),
          DTONE_BASE_URL: 'http://127.0.0.1:9',
          DTONE_API_KEY: 'key',
          DTONE_API_SECRET: 'secret',
          LOG_LEVEL: 'silent',
        }),
      );
      await expect(startApiApp({ config, logger: silentLogger() })).rejects.toThrow(
        new RegExp(
          `^port ${port} of 127\\.0\\.0\\.1 is in use \\(another API, or npm start\\?\\): set API_PORT to another port, or 0 for any free one$`,
        ),
      );
      expect(await fresh.dataSource.query(`SELECT to_regclass('schema_migrations') IS NULL AS absent`)).toEqual([
        { absent: true },
      ]);
      for (const exchange of Object.values(topology.exchanges)) {
        const channel = await broker.freshChannel();
        await expect(channel.checkExchange(exchange.name)).rejects.toThrow(/NOT_FOUND/);
      }
    } finally {
      await new Promise((resolve) => occupied.close(resolve));
      await broker.close();
      await Promise.all([fresh.drop(), deleteTopology(topology)]);
    }
  });

  it('fails once AMQP_START_TIMEOUT_MS has passed with RabbitMQ down, in one line naming AMQP_URL, the password masked', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const database = await createTestDatabase({ poolSize: 2 });
    try {
      const config = Either.getOrThrow(
        apiConfigFrom({
          DATABASE_URL: database.config.url,
          AMQP_URL: `amqp://guest:hunter2-secret@127.0.0.1:${closed}`,
          AMQP_START_TIMEOUT_MS: '1000',
          API_PORT: '0',
          DTONE_BASE_URL: 'http://127.0.0.1:9',
          DTONE_API_KEY: 'key',
          DTONE_API_SECRET: 'secret',
          LOG_LEVEL: 'silent',
        }),
      );
      const failure = await startApiApp({ config, logger: silentLogger() }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toBe(
        `cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:${closed} (AMQP_URL) within 1 s ` +
          '(AMQP_START_TIMEOUT_MS): ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)',
      );
    } finally {
      await database.drop();
    }
  });
});
