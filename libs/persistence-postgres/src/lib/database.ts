import { PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import { type DatabaseConfig, redactUrl } from './config/database.config';
import { makeDataSource } from './data-source';

/** Any fixed number: the advisory lock every migrating process takes, so that instances migrate one at a time. */
const MIGRATION_LOCK = 7_263_901_001;

/**
 * Applies pending migrations while holding a session advisory lock, so that
 * several instances starting at once do not race; returns the names applied.
 */
export const runMigrationsExclusively = async (dataSource: DataSource): Promise<string[]> => {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
};

/**
 * Connects to the configured database and, when `migrateOnStart` is set,
 * applies pending migrations (each in its own transaction). For the apps'
 * start-up; `npm run db:migrate` does the same from the command line.
 */
export const initializeDatabase = (config: DatabaseConfig): Effect.Effect<DataSource, PersistenceFailure> =>
  Effect.tryPromise({
    try: async () => {
      const dataSource = makeDataSource(config);
      await dataSource.initialize();
      try {
        if (config.migrateOnStart) await runMigrationsExclusively(dataSource);
        return dataSource;
      } catch (error) {
        await dataSource.destroy();
        throw error;
      }
    },
    catch: (cause) =>
      new PersistenceFailure({
        reason: `cannot open ${redactUrl(config.url)}: ${cause instanceof Error ? cause.message.replace(config.url, redactUrl(config.url)) : String(cause)}`,
        retryable: true,
      }),
  });
