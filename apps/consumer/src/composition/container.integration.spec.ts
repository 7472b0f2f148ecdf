// The composition root resolves: every binding of the container, against the
// real PostgreSQL (a database of this file's own) and RabbitMQ (a topology
// prefix of its own), with the DVS simulator's HTTP server as the provider;
// each singleton is one instance; closing runs every deactivation.
import 'reflect-metadata';
import { uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { pendingMigrations } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { AccountDirectory } from '@airtime/application';
import { AirtimeProvider } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { Writable } from 'node:stream';
import { consumerConfigFrom } from '../config/consumer.config';
import { makeLogger } from '@airtime/platform-runtime';
import { buildContainer, closeContainer } from './container';
import { CLOSE_ORDER, TOKENS } from './tokens';

const silent = () => makeLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));

describe('the consumer container', () => {
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;

  beforeAll(async () => {
    [db, simulator] = await Promise.all([createTestDatabase(), startDvsSimulatorServer()]);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), simulator?.close()]);
  });

  const configFor = (environment: Record<string, string>) =>
    Either.getOrThrow(
      consumerConfigFrom({
        DATABASE_URL: db.config.url,
        AMQP_URL: process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672',
        AMQP_TOPOLOGY_PREFIX: uniqueTopologyPrefix('container'),
        METRICS_PORT: '0',
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
    const container = await buildContainer({ config: configFor({}), logger: silent() });
    const resolved = new Map<string, unknown>();
    for (const [name, token] of Object.entries(TOKENS)) {
      const value: unknown = await container.getAsync(token as never);
      expect({ name, defined: value !== undefined && value !== null }).toEqual({ name, defined: true });
      expect(await container.getAsync(token as never)).toBe(value);
      resolved.set(name, value);
    }
    const dataSource = await container.getAsync(TOKENS.dataSource);
    expect(dataSource.isInitialized).toBe(true);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const connection = await container.getAsync(TOKENS.brokerConnection);
    expect(connection.state()).toBe('connected');

    // the runtime provides the DT One adapter pointed at the simulator, timed
    const runtime = await container.getAsync(TOKENS.runtime);
    const balances = await runtime.runPromise(Effect.flatMap(AirtimeProvider, (provider) => provider.balances()));
    expect(balances.balances.map((balance) => balance.available.currency.code)).toContain('USD');
    const metrics = await container.get(TOKENS.metrics).registry.metrics();
    expect(metrics).toMatch(
      /airtime_provider_request_duration_seconds_count\{provider="dtone",operation="balances",outcome="ok"\} 1/,
    );

    // the API's ports too: one persistenceLayer for every app
    const account = await runtime.runPromise(Effect.flatMap(AccountDirectory, (accounts) => accounts.find('nobody')));
    expect(Option.isNone(account)).toBe(true);

    const server = await container.getAsync(TOKENS.metricsServer);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    expect(await closeContainer(container)).toEqual([]);
    expect(dataSource.isInitialized).toBe(false);
    expect(connection.state()).toBe('closed');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    for (const token of Object.values(TOKENS)) expect(container.isBound(token)).toBe(false);
  });

  it('refuses a database with pending migrations, naming npm run db:migrate, and leaves it untouched', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const container = await buildContainer({
        config: configFor({ DATABASE_URL: fresh.config.url }),
        logger: silent(),
      });
      await expect(container.getAsync(TOKENS.dataSource)).rejects.toThrow(
        /^the database postgres:\/\/.+ is not migrated \(\d+ migrations not applied: InitialSchema1763900000000, .+\): run npm run db:migrate first, or start the consumer with DATABASE_MIGRATE_ON_START=true$/,
      );
      // closing goes through (the failed resolution is reported, there is nothing to destroy)
      expect(await closeContainer(container)).toEqual([expect.stringMatching(/^dataSource: the database /)]);
      // nothing written, not even the migrations table
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
      const container = await buildContainer({
        config: configFor({ DATABASE_URL: fresh.config.url, DATABASE_MIGRATE_ON_START: 'true' }),
        logger: silent(),
      });
      const dataSource = await container.getAsync(TOKENS.dataSource);
      expect(await pendingMigrations(dataSource)).toEqual([]);
      expect(await dataSource.query('SELECT count(*)::int AS count FROM processed_messages')).toEqual([{ count: 0 }]);
      expect(await closeContainer(container)).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });

  it('chooses the in-process simulator when PROVIDER=simulator', async () => {
    const container = await buildContainer({ config: configFor({ PROVIDER: 'simulator' }), logger: silent() });
    try {
      const runtime = await container.getAsync(TOKENS.runtime);
      const id = await runtime.runPromise(Effect.map(AirtimeProvider, (provider) => provider.id));
      expect(id).toBe('simulator');
    } finally {
      expect(await closeContainer(container)).toEqual([]);
    }
  });
});
