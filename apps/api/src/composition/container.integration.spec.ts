// The composition root resolves: every binding of the API's container,
// against the real PostgreSQL (a database of this file's own) and RabbitMQ
// (a topology prefix of its own), with the DVS simulator's HTTP server as
// the provider; each singleton is one instance; closing runs every
// deactivation (the server stops answering, the connections close).
import 'reflect-metadata';
import { AirtimeProvider } from '@airtime/domain';
import { deleteTopology, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { topologyFor } from '@airtime/messaging-rabbitmq';
import { pendingMigrations } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Effect, Either } from 'effect';
import { apiConfigFrom } from '../config/api.config';
import { buildApiContainer, closeApiContainer } from './container';
import { CLOSE_ORDER, TOKENS } from './tokens';

describe('the API container', () => {
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  const prefix = uniqueTopologyPrefix('api-container');

  beforeAll(async () => {
    [db, simulator] = await Promise.all([createTestDatabase(), startDvsSimulatorServer()]);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), simulator?.close(), deleteTopology(topologyFor(prefix))]);
  });

  const configFor = (environment: Record<string, string>) =>
    Either.getOrThrow(
      apiConfigFrom({
        DATABASE_URL: db.config.url,
        AMQP_URL: testAmqpUrl(),
        AMQP_TOPOLOGY_PREFIX: prefix,
        API_PORT: '0',
        DTONE_BASE_URL: simulator.baseUrl,
        DTONE_API_KEY: simulator.apiKey,
        DTONE_API_SECRET: simulator.apiSecret,
        ...environment,
      }),
    );

  it('closes every binding it has, in one order', () => {
    expect([...CLOSE_ORDER].sort()).toEqual(Object.keys(TOKENS).sort());
  });

  it('resolves every binding once (singletons), and closing deactivates each resource', async () => {
    const container = await buildApiContainer({ config: configFor({}), logger: silentLogger() });
    for (const [name, token] of Object.entries(TOKENS)) {
      const value: unknown = await container.getAsync(token as never);
      expect({ name, defined: value !== undefined && value !== null }).toEqual({ name, defined: true });
      expect(await container.getAsync(token as never)).toBe(value);
    }
    const dataSource = await container.getAsync(TOKENS.dataSource);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const connection = await container.getAsync(TOKENS.brokerConnection);
    expect(connection.state()).toBe('connected');
    expect(await (await container.getAsync(TOKENS.messagingCheck))()).toEqual({ ok: true });

    // the runtime provides the DT One adapter pointed at the simulator, timed
    const runtime = await container.getAsync(TOKENS.runtime);
    const balances = await runtime.runPromise(Effect.flatMap(AirtimeProvider, (provider) => provider.balances()));
    expect(balances.balances.map((balance) => balance.available.currency.code)).toContain('USD');
    const metrics = await container.get(TOKENS.metrics).registry.metrics();
    expect(metrics).toMatch(
      /airtime_provider_request_duration_seconds_count\{provider="dtone",operation="balances",outcome="ok"\} 1/,
    );

    const server = await container.getAsync(TOKENS.httpServer);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    expect(await closeApiContainer(container)).toEqual([]);
    expect(dataSource.isInitialized).toBe(false);
    expect(connection.state()).toBe('closed');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    for (const token of Object.values(TOKENS)) expect(container.isBound(token)).toBe(false);
  });

  it('refuses a database with pending migrations, naming npm run db:migrate, and leaves it untouched', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const container = await buildApiContainer({
        config: configFor({ DATABASE_URL: fresh.config.url }),
        logger: silentLogger(),
      });
      await expect(container.getAsync(TOKENS.dataSource)).rejects.toThrow(
        /^the database postgres:\/\/.+ is not migrated \(\d+ migrations not applied: InitialSchema1763900000000, .+\): run npm run db:migrate first, or start the API with DATABASE_MIGRATE_ON_START=true$/,
      );
      expect(await closeApiContainer(container)).toEqual([expect.stringMatching(/^dataSource: the database /)]);
      expect(await fresh.dataSource.query(`SELECT to_regclass('schema_migrations') IS NULL AS absent`)).toEqual([
        { absent: true },
      ]);
    } finally {
      await fresh.drop();
    }
  });

  it('migrates a database with pending migrations at start when DATABASE_MIGRATE_ON_START=true', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const container = await buildApiContainer({
        config: configFor({ DATABASE_URL: fresh.config.url, DATABASE_MIGRATE_ON_START: 'true' }),
        logger: silentLogger(),
      });
      const dataSource = await container.getAsync(TOKENS.dataSource);
      expect(await pendingMigrations(dataSource)).toEqual([]);
      expect(await dataSource.query('SELECT count(*)::int AS count FROM api_keys')).toEqual([{ count: 0 }]);
      expect(await closeApiContainer(container)).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});
