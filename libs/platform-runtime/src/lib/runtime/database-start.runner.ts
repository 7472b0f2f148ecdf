// An app's database at start: one TypeORM DataSource over pg (PostgreSQL, or
// an embedded PostgreSQL's URL). With `migrateOnStart` pending migrations
// are applied as it opens; otherwise a database with pending migrations is
// closed again and the start fails with DatabaseNotMigrated (run
// `npm run db:migrate`), before the app serves anything against a schema
// older than the code.
import { type DatabaseConfig, initializeDatabase, pendingMigrations, redactUrl } from '@airtime/persistence-postgres';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import type { PlatformLogger } from '../observability/logger';
import { DatabaseNotMigrated } from './database-start.errors';

export interface DatabaseStartOptions {
  /** How the app is named in DatabaseNotMigrated's message (`API`, `consumer`). */
  readonly service: string;
  /** Told `database connected` with the URL without its password, the pool size and whether migrations ran. */
  readonly logger: PlatformLogger;
}

/**
 * Opens the database of `database` (see the header). Rejects with the
 * persistence failure when it cannot connect or migrate, and with
 * DatabaseNotMigrated when migrations are pending and `migrateOnStart` is
 * off; in both cases no connection is left open.
 */
export const openMigratedDatabase = async (
  database: DatabaseConfig,
  options: DatabaseStartOptions,
): Promise<DataSource> => {
  const dataSource = await Effect.runPromise(initializeDatabase(database));
  const pending = await pendingMigrations(dataSource).catch(async (error: unknown) => {
    await dataSource.destroy();
    throw error;
  });
  if (pending.length > 0) {
    await dataSource.destroy();
    throw new DatabaseNotMigrated({ database: redactUrl(database.url), pending, service: options.service });
  }
  options.logger.info(
    { database: redactUrl(database.url), poolSize: database.poolSize, migrated: database.migrateOnStart },
    'database connected',
  );
  return dataSource;
};
