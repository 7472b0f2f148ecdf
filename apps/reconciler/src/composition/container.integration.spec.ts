// The composition root resolves: every binding of the container, against the
// real PostgreSQL (a database of this file's own) with the DVS simulator's
// HTTP server as the provider; each singleton is one instance; the runtime
// provides what a run needs; closing runs every deactivation.
import 'reflect-metadata';
import { ReconciliationStore } from '@airtime/application';
import { AirtimeProvider, TopUpRepository, UnitOfWork } from '@airtime/domain';
import { makeLogger } from '@airtime/platform-runtime';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Effect, Either, Option } from 'effect';
import { Writable } from 'node:stream';
import { reconcilerConfigFrom } from '../config/reconciler.config';
import { buildContainer, closeContainer } from './container';
import { CLOSE_ORDER, TOKENS } from './tokens';

const silent = () => makeLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));

describe('the reconciler container', () => {
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;

  beforeAll(async () => {
    [db, simulator] = await Promise.all([createTestDatabase({ poolSize: 2 }), startDvsSimulatorServer()]);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), simulator?.close()]);
  });

  const configFor = (environment: Record<string, string>) =>
    Either.getOrThrow(
      reconcilerConfigFrom({
        DATABASE_URL: db.config.url,
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
    for (const [name, token] of Object.entries(TOKENS)) {
      const value: unknown = await container.getAsync(token as never);
      expect({ name, defined: value !== undefined && value !== null }).toEqual({ name, defined: true });
      expect(await container.getAsync(token as never)).toBe(value);
    }
    const dataSource = await container.getAsync(TOKENS.dataSource);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);

    // the runtime provides the DT One adapter pointed at the simulator, timed in the run's metrics
    const runtime = await container.getAsync(TOKENS.runtime);
    const balances = await runtime.runPromise(Effect.flatMap(AirtimeProvider, (provider) => provider.balances()));
    expect(balances.balances.map((balance) => balance.available.currency.code)).toContain('USD');
    expect(await container.get(TOKENS.metrics).registry.metrics()).toMatch(
      /airtime_provider_request_duration_seconds_count\{provider="dtone",operation="balances",outcome="ok"\} 1/,
    );

    // the books: top-ups, the unit of work, and the reconciliation store over PostgreSQL
    const found = await runtime.runPromise(
      Effect.flatMap(TopUpRepository, (topUps) => topUps.findById('01890000-0000-7000-8000-000000000000' as never)),
    );
    expect(Option.isNone(found)).toBe(true);
    await runtime.runPromise(Effect.flatMap(UnitOfWork, (unit) => unit.transactionally(Effect.void)));
    const window = {
      providerId: 'dtone',
      from: new Date('2026-11-30T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    };
    const attempts = await runtime.runPromise(
      Effect.flatMap(ReconciliationStore, (store) => store.attemptsStartedIn(window)),
    );
    expect(attempts).toEqual([]);

    expect(await closeContainer(container)).toEqual([]);
    expect(dataSource.isInitialized).toBe(false);
    for (const token of Object.values(TOKENS)) expect(container.isBound(token)).toBe(false);
  });

  it('refuses a database with pending migrations, naming npm run db:migrate, and leaves it untouched', async () => {
    const fresh = await createTestDatabase({ migrate: false, poolSize: 1 });
    try {
      const container = await buildContainer({
        config: configFor({ DATABASE_URL: fresh.config.url }),
        logger: silent(),
      });
      await expect(container.getAsync(TOKENS.runtime)).rejects.toThrow(
        /^the database postgres:\/\/.+ is not migrated \(\d+ migrations not applied: .+\): run npm run db:migrate first, or start the reconciler with DATABASE_MIGRATE_ON_START=true$/,
      );
      // closing goes through (the failed resolutions are reported, there is nothing to destroy)
      expect(await closeContainer(container)).toEqual([
        expect.stringMatching(/^runtime: the database /),
        expect.stringMatching(/^dataSource: the database /),
      ]);
      // nothing written, not even the migrations table
      expect(await fresh.dataSource.query(`SELECT to_regclass('schema_migrations') IS NULL AS absent`)).toEqual([
        { absent: true },
      ]);
    } finally {
      await fresh.drop();
    }
  });
});
