import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL, type DatabaseConfig } from '../lib/config/database.config';
import { makeDataSource } from '../lib/data-source';

/** A database of its own on the server named by DATABASE_URL, migrated, dropped by `drop()`. */
export interface TestDatabase {
  readonly name: string;
  readonly config: DatabaseConfig;
  readonly dataSource: DataSource;
  readonly drop: () => Promise<void>;
}

const serverUrl = (): string => process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

const admin = async <A>(work: (client: Client) => Promise<A>): Promise<A> => {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** Creates a fresh database (migrated unless `migrate: false`) for one test file. */
export const createTestDatabase = async (
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> => {
  const name = `airtime_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const config: DatabaseConfig = {
    url: withDatabase(serverUrl(), name),
    poolSize: options.poolSize ?? 20,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
    idleInTransactionTimeoutMs: 60_000,
    migrateOnStart: false,
  };
  const dataSource = makeDataSource(config);
  await dataSource.initialize();
  if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'all' });
  return {
    name,
    config,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
};
