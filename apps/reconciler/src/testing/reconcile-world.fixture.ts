// The world a reconciler spec runs in: a migrated database of its own, the
// DVS simulator's HTTP server (its clock set to yesterday, UTC, 10:00), and
// the application's use cases over PostgreSQL and the DT One adapter (over
// HTTP to the simulator) on a clock also set to yesterday, to seed our
// books as production writes them: top-ups requested (their cost held),
// sent, and moved by the provider's statuses as its callbacks would. The
// simulator is seeded through its admin routes (faults, injected and
// amended transactions, reversals). `reconcile` runs the reconciler
// in-process on the world; `env` is its environment for a child process.
import {
  applyProviderUpdate,
  cachedProviderCatalogueLayer,
  openCustomerAccount,
  requestTopUp,
  sendAttempt,
} from '@airtime/application';
import { fundAccount } from '@airtime/application/testing';
import { TopUpRepository, transactionStatus } from '@airtime/domain';
import { makeDataSource, reconciliationStoreLayer } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import {
  persistenceLayer,
  providerCallbackUrlsLayer,
  providerLayerOf,
  scaledClockLayer,
  uuidIdGeneratorLayer,
} from '@airtime/platform-runtime';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { dvsConfigFrom } from '@airtime/provider-dtone';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Effect, Either, Layer, ManagedRuntime } from 'effect';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { yesterdayOf } from '../cli/reconcile-arguments.input';
import { runReconciler } from '../reconciler-app.runner';

/** The account whose top-ups are seeded (funded with USD 1,000,000.00). */
export const ACCOUNT = 'acme';

const HOUR_MS = 3_600_000;

/** A Philippine number the simulator knows; `code` (3 digits) is its sandbox suffix ("100": completes). */
export const phoneWith = (index: number, code = '100'): string => `+63917${String(index).padStart(4, '0')}${code}`;

export interface SeededTopUp {
  readonly topUpId: string;
  readonly externalId: string;
  /** The external id our attempt was sent under (the simulator's `external_id`). */
  readonly providerExternalId: string;
}

export interface RunOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ReconcileWorld {
  readonly db: TestDatabase;
  readonly simulator: DvsSimulatorTestServer;
  /** Yesterday (UTC) when the world was made: the window reconciled. */
  readonly day: { readonly from: Date; readonly to: Date };
  /** `--date` of `day`. */
  readonly date: string;
  /** Where the reports go (a temporary folder of the world's). */
  readonly reportDir: string;
  /** Runs an effect with the seeding services (the use cases over PostgreSQL and the DVS adapter). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, SeedServices>) => Promise<A>;
  /** A top-up requested and sent (answered CONFIRMED by DVS's async API); its ids. */
  readonly requestAndSend: (externalId: string, phone: string) => Promise<SeededTopUp>;
  /** Applies the simulator's current status of the top-up's transaction, as its callback would. */
  readonly deliverCallback: (topUp: SeededTopUp) => Promise<void>;
  /** A simulator admin route: its JSON answer; fails on an error status. */
  readonly admin: (method: string, route: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** Waits until the simulator's transaction of `providerExternalId` is in `status`. */
  readonly untilStatus: (providerExternalId: string, status: string) => Promise<void>;
  /** The reconciler's environment on this world (database, simulator, report folder), plus `extra`. */
  readonly env: (extra?: Readonly<Record<string, string>>) => Record<string, string>;
  /** Runs the reconciler in-process with `argv` on this world. */
  readonly reconcile: (argv: readonly string[], extra?: Readonly<Record<string, string>>) => Promise<RunOutcome>;
  readonly close: () => Promise<void>;
}

const seedLayer = (db: TestDatabase, simulator: DvsSimulatorTestServer, shiftMs: number) => {
  const persistence = Layer.merge(persistenceLayer(db.dataSource), reconciliationStoreLayer(db.dataSource));
  const dvs = Either.getOrThrow(
    dvsConfigFrom({
      DTONE_BASE_URL: simulator.baseUrl,
      DTONE_API_KEY: simulator.apiKey,
      DTONE_API_SECRET: simulator.apiSecret,
      // a send the simulator accepts and never answers is unknown after 5 s; every other call is answered well
      // within that on a loaded CI machine (1 s was not: a seeded send could turn into an unknown outcome)
      DTONE_TIMEOUT_MS: '5000',
    }),
  );
  const provider = providerLayerOf({ kind: 'simulator-http', dvs }, silentLogger()).pipe(Layer.provide(persistence));
  return Layer.mergeAll(
    persistence,
    provider,
    Layer.provide(cachedProviderCatalogueLayer(), provider),
    // yesterday's clock: what the use cases write is dated yesterday
    scaledClockLayer({ now: () => Effect.sync(() => new Date(Date.now() - shiftMs)) }),
    uuidIdGeneratorLayer(),
    // callbacks are asked for (the simulator drops them: see dropCallbacks)
    providerCallbackUrlsLayer('http://127.0.0.1:9'),
  );
};

/** The services seeding runs with. */
export type SeedServices = Layer.Layer.Success<ReturnType<typeof seedLayer>>;

/** Opens a world (see the header), made now: its day is yesterday, UTC. */
export const openReconcileWorld = async (options: { readonly poolSize?: number } = {}): Promise<ReconcileWorld> => {
  const day = yesterdayOf(new Date());
  const seedStart = new Date(day.from.getTime() + 10 * HOUR_MS);
  const shiftMs = Date.now() - seedStart.getTime();
  // 1 real ms = 100 simulated ms: the sandbox's 3 s take 30 ms; a minute of test is under two simulated hours
  const [db, simulator] = await Promise.all([
    createTestDatabase({ poolSize: options.poolSize ?? 10 }),
    startDvsSimulatorServer({ timeScale: 0.01 }),
  ]);
  const reportDir = mkdtempSync(path.join(tmpdir(), 'reconciler-reports-'));
  const runtime = ManagedRuntime.make(seedLayer(db, simulator, shiftMs));
  const run = <A, E>(effect: Effect.Effect<A, E, SeedServices>) => runtime.runPromise(effect);

  const admin = async (method: string, route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${simulator.url}/__simulator/${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`simulator ${method} ${route}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  await admin('PUT', 'clock', { now: seedStart.toISOString() });
  await admin('PATCH', 'faults', { dropCallbacks: true });
  await run(
    Effect.gen(function* () {
      yield* openCustomerAccount({ id: ACCOUNT, name: 'Acme Ltd' });
      yield* fundAccount(ACCOUNT, 'USD', 100_000_000n);
    }),
  );

  const requestAndSend = (externalId: string, phone: string): Promise<SeededTopUp> =>
    run(
      Effect.gen(function* () {
        const requested = yield* requestTopUp({
          external_id: externalId,
          account_id: ACCOUNT,
          phone_number: phone,
          currency: 'PHP',
          max_amount: '30',
        });
        if (requested._tag === 'AlreadyProcessed') return yield* Effect.die('a repeated seed');
        yield* sendAttempt(requested.topUp.id);
        const { topUp } = yield* Effect.flatMap(TopUpRepository, (topUps) =>
          Effect.flatMap(topUps.findById(requested.topUp.id), (found) =>
            found._tag === 'Some' ? Effect.succeed(found.value) : Effect.die('the seeded top-up is gone'),
          ),
        );
        const attempt = topUp.attempts.at(-1);
        if (attempt === undefined) return yield* Effect.die('the seeded top-up was not sent');
        return { topUpId: topUp.id, externalId, providerExternalId: attempt.providerExternalId };
      }),
    );

  const deliverCallback = async (topUp: SeededTopUp): Promise<void> => {
    const transaction = simulator.transactionByExternalId(topUp.providerExternalId);
    if (transaction === undefined) throw new Error(`the simulator has no ${topUp.providerExternalId}`);
    await run(
      applyProviderUpdate({
        providerTransactionId: String(transaction.id),
        providerExternalId: topUp.providerExternalId,
        status: transactionStatus(transaction.status),
      }),
    );
  };

  const untilStatus = async (providerExternalId: string, status: string): Promise<void> => {
    await simulator.untilTransaction(providerExternalId, status as never);
  };

  const env = (extra: Readonly<Record<string, string>> = {}): Record<string, string> => ({
    DATABASE_URL: db.config.url,
    PROVIDER: 'simulator-http',
    DTONE_BASE_URL: simulator.baseUrl,
    DTONE_API_KEY: simulator.apiKey,
    DTONE_API_SECRET: simulator.apiSecret,
    RECONCILE_REPORT_DIR: reportDir,
    ...extra,
  });

  const reconcile = async (argv: readonly string[], extra: Readonly<Record<string, string>> = {}) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runReconciler(
      {
        argv,
        env: env(extra),
        stdout: { write: (text) => stdout.push(text) },
        stderr: { isTTY: false, write: (text) => stderr.push(text) },
        now: () => new Date(),
      },
      { logger: silentLogger() },
    );
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  };

  return {
    db,
    simulator,
    day,
    date: day.from.toISOString().slice(0, 10),
    reportDir,
    run,
    requestAndSend,
    deliverCallback,
    admin,
    untilStatus,
    env,
    reconcile,
    close: async () => {
      await runtime.dispose();
      rmSync(reportDir, { recursive: true, force: true });
      await Promise.all([db.drop(), simulator.close()]);
    },
  };
};

export interface ClonedDatabase {
  readonly url: string;
  readonly dataSource: DataSource;
  readonly drop: () => Promise<void>;
}

/**
 * A copy of the world's database as it is now (CREATE DATABASE ... TEMPLATE):
 * the same books, to run the reconciler on twice from one start. The
 * world's pool is closed for the copy and opened again.
 */
export const cloneDatabase = async (world: ReconcileWorld): Promise<ClonedDatabase> => {
  const name = `${world.db.name}_clone`;
  const server = new URL(world.db.config.url);
  server.pathname = '/postgres';
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: server.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await world.db.dataSource.destroy();
  try {
    await admin(`CREATE DATABASE ${name} TEMPLATE ${world.db.name}`);
  } finally {
    await world.db.dataSource.initialize();
  }
  const url = new URL(world.db.config.url);
  url.pathname = `/${name}`;
  const dataSource = makeDataSource({ ...world.db.config, url: url.toString(), poolSize: 2 });
  await dataSource.initialize();
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
};

/** The reconciler's settlements and runs in the world's database (for assertions). */
export const settlementRows = (db: { readonly dataSource: DataSource }) =>
  db.dataSource.query(
    `SELECT top_up_id, from_status, to_status, actor, state FROM reconciliation_settlements ORDER BY top_up_id, to_status`,
  ) as Promise<{ top_up_id: string; from_status: string; to_status: string; actor: string; state: string }[]>;
