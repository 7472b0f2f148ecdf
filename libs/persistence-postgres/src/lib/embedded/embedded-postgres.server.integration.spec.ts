// The embedded PostgreSQL server end to end, in child processes as the first
// run starts it: a first start makes the cluster, the project's migrations
// and a ledger operation run on it through the normal data source; a second
// start on the same folder keeps the data (on another port when the first
// is taken); a server left running by a killed process is taken over.
import { statSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { currencyOf } from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { makeDataSource } from '../data-source';
import { runMigrationsExclusively } from '../database';
import { makeLedgerStore } from '../ledger/ledger-store.adapter';
import { pendingMigrations } from '../pending-migrations.queries';
import {
  type EmbeddedPostgresProcess,
  startEmbeddedPostgresProcess,
  stopLeftServer,
} from './embedded-postgres-process.fixture';

const KES = Either.getOrThrow(currencyOf('KES'));

const configOf = (url: string): DatabaseConfig => ({
  url,
  poolSize: 4,
  statementTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
  migrateOnStart: false,
});

const open = async (url: string): Promise<DataSource> => {
  const dataSource = makeDataSource(configOf(url));
  await dataSource.initialize();
  return dataSource;
};

const balanceOf = async (dataSource: DataSource): Promise<bigint> =>
  (await Effect.runPromise(makeLedgerStore(dataSource).account('embedded-team', 'KES'))).availableMinor;

/** A TCP server holding a port, so that the embedded server has to pick another. */
const holdPort = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });

describe('embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'airtime-embedded-pg-'));
  const running = new Set<EmbeddedPostgresProcess>();
  let dataSource: DataSource | undefined;

  const start = async (port?: number): Promise<EmbeddedPostgresProcess> => {
    const started = await startEmbeddedPostgresProcess({ dataDir, port });
    running.add(started);
    return started;
  };
  const stop = async (process: EmbeddedPostgresProcess): Promise<void> => {
    running.delete(process);
    expect(await process.stop()).toEqual({ code: 0, signal: null });
  };

  // a start runs tsx and (the first) initdb: seconds, more on a loaded machine
  const SLOW = 180_000;

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    for (const process of running) await process.kill();
    await stopLeftServer(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'makes the cluster on the first start; migrations and a ledger operation run through the normal data source',
    async () => {
      const first = await start(0);
      expect(first.initialised).toBe(true);
      expect(first.url).toMatch(/^postgres:\/\/postgres:[A-Za-z0-9_-]{43}@127\.0\.0\.1:\d+\/airtime$/);

      dataSource = await open(first.url);
      const applied = await runMigrationsExclusively(dataSource);
      expect(applied.length).toBeGreaterThan(0);
      expect(await pendingMigrations(dataSource)).toEqual([]);
      const ledger = makeLedgerStore(dataSource);
      await Effect.runPromise(ledger.openAccount({ accountId: 'embedded-team', currency: KES, creditLimitMinor: 0n }));
      await Effect.runPromise(
        ledger.deposit({
          accountId: 'embedded-team',
          currency: KES,
          depositId: 'embedded-dep-1',
          amountMinor: 12_345n,
        }),
      );
      expect(await balanceOf(dataSource)).toBe(12_345n);
      await dataSource.destroy();

      // the password: in a 0600 file of the folder, never in the logs
      const password = decodeURIComponent(new URL(first.url).password);
      const passwordFile = path.join(dataDir, 'password');
      expect(readFileSync(passwordFile, 'utf8').trim()).toBe(password);
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(dataDir, 'postgres.log')).mode & 0o777).toBe(0o600);
      await stop(first);
      expect(first.stderr()).toContain('embedded PostgreSQL started');
      expect(first.stderr()).not.toContain(password);
      expect(readFileSync(path.join(dataDir, 'postgres.log'), 'utf8')).not.toContain(password);
    },
    SLOW,
  );

  it(
    'a second start on the same folder keeps the data, on another port when the first one is taken',
    async () => {
      const taken = await holdPort(0);
      const address = taken.address();
      const takenPort = typeof address === 'object' && address !== null ? address.port : 0;
      try {
        const second = await start(takenPort);
        expect(second.initialised).toBe(false);
        expect(second.port).not.toBe(takenPort);
        dataSource = await open(second.url);
        expect(await pendingMigrations(dataSource)).toEqual([]);
        expect(await balanceOf(dataSource)).toBe(12_345n);
        await dataSource.destroy();
        await stop(second);
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    SLOW,
  );

  it(
    'takes over a server left running by a killed process',
    async () => {
      const killed = await start(0);
      running.delete(killed);
      expect((await killed.kill()).signal).toBe('SIGKILL');
      const next = await start(0);
      expect(next.stderr()).toContain('left running by an earlier process');
      dataSource = await open(next.url);
      expect(await balanceOf(dataSource)).toBe(12_345n);
      await dataSource.destroy();
      await stop(next);
    },
    SLOW,
  );
});
